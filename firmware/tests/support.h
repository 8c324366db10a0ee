/* Helpers shared by the host tests: reading the golden-vector TSV files. */
#ifndef VT_TEST_SUPPORT_H
#define VT_TEST_SUPPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#define TSV_MAX_COLS 8

typedef struct {
  int ncols;
  char *col[TSV_MAX_COLS];
  int lineno;
} tsv_row;

/* Opens VT_VECTORS_DIR/name; fails the test when it is missing. Rows skip "#" comments. */
typedef struct tsv_file tsv_file;
tsv_file *tsv_open(const char *name);
int tsv_next(tsv_file *f, tsv_row *row); /* 1 = row, 0 = end */
void tsv_close(tsv_file *f);

/* Hex string to bytes; returns count or -1. */
int hex_bytes(const char *hex, uint8_t *out, size_t cap);
/* Undoes \xNN escapes in place; returns the new length. */
size_t unescape(char *s);
/* Reads a whole file (NUL-terminated); caller frees. Fails the test when missing. */
char *read_text(const char *path, size_t *len);
const char *vectors_path(const char *name);
/* The shared data folder (env VITALS_SHARED_DATA or the build's default). */
const char *shared_data_dir(void);

#endif
