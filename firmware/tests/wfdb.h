/* Minimal reader for the PhysioNet WFDB files of the MIT-BIH Arrhythmia Database, for the
 * host tests only: header (.hea), format-212 signals (.dat) and MIT-format annotations
 * (.atr). Formats per the WFDB Programmer's Guide (signal(5), annot(5)) and the shared
 * reference clinical-rules-and-models.md §5.1. */
#ifndef VT_TEST_WFDB_H
#define VT_TEST_WFDB_H

#include <stddef.h>
#include <stdint.h>

#define WFDB_MAX_SIG 4

typedef struct {
  int nsig;
  double fs;
  long nsamples;
  char file[WFDB_MAX_SIG][64];
  int format[WFDB_MAX_SIG];
  double gain[WFDB_MAX_SIG];
  int zero[WFDB_MAX_SIG];
  char desc[WFDB_MAX_SIG][32];
} wfdb_header;

typedef struct {
  long sample;
  int type; /* anntab code: 1 NORMAL ... 32 VFON '[', 33 VFOFF ']' */
} wfdb_ann;

/* Each returns 0, or -1 with a message in err (size errlen). */
int wfdb_read_header(const char *path, wfdb_header *h, char *err, size_t errlen);
/* Reads all samples of all signals, interleaved (frame-major): out[i*nsig + s]. Caller frees. */
int wfdb_read_212(const char *path, const wfdb_header *h, int16_t **out, char *err,
                  size_t errlen);
int wfdb_read_atr(const char *path, wfdb_ann **out, size_t *count, char *err, size_t errlen);

/* True for the annotation codes that mark a QRS complex (WFDB isqrs()). */
int wfdb_is_qrs(int type);

#endif
