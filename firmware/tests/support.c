#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tsv_file {
  FILE *f;
  char line[4096];
  int lineno;
};

const char *vectors_path(const char *name) {
  static char buf[1024];
  snprintf(buf, sizeof buf, "%s/%s", VT_VECTORS_DIR, name);
  return buf;
}

const char *shared_data_dir(void) {
  const char *d = getenv("VITALS_SHARED_DATA");
  return (d != NULL && d[0] != '\0') ? d : VT_SHARED_DATA_DEFAULT;
}

tsv_file *tsv_open(const char *name) {
  tsv_file *t = calloc(1, sizeof *t);
  assert_non_null(t);
  t->f = fopen(vectors_path(name), "r");
  if (t->f == NULL) fail_msg("golden vector file missing: %s", vectors_path(name));
  return t;
}

int tsv_next(tsv_file *t, tsv_row *row) {
  while (fgets(t->line, sizeof t->line, t->f) != NULL) {
    t->lineno++;
    t->line[strcspn(t->line, "\r\n")] = '\0';
    if (t->line[0] == '#') continue;
    row->ncols = 0;
    row->lineno = t->lineno;
    char *p = t->line;
    for (;;) {
      if (row->ncols < TSV_MAX_COLS) row->col[row->ncols++] = p;
      char *tab = strchr(p, '\t');
      if (tab == NULL) break;
      *tab = '\0';
      p = tab + 1;
    }
    for (int i = row->ncols; i < TSV_MAX_COLS; i++) row->col[i] = (char *)"";
    return 1;
  }
  return 0;
}

void tsv_close(tsv_file *t) {
  fclose(t->f);
  free(t);
}

static int hv(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int hex_bytes(const char *hex, uint8_t *out, size_t cap) {
  size_t n = strlen(hex);
  if (n % 2 != 0 || n / 2 > cap) return -1;
  for (size_t i = 0; i < n / 2; i++) {
    int a = hv(hex[2 * i]), b = hv(hex[2 * i + 1]);
    if (a < 0 || b < 0) return -1;
    out[i] = (uint8_t)(a * 16 + b);
  }
  return (int)(n / 2);
}

size_t unescape(char *s) {
  size_t r = 0, w = 0;
  while (s[r]) {
    if (s[r] == '\\' && s[r + 1] == 'x' && hv(s[r + 2]) >= 0 && hv(s[r + 3]) >= 0) {
      s[w++] = (char)(hv(s[r + 2]) * 16 + hv(s[r + 3]));
      r += 4;
    } else {
      s[w++] = s[r++];
    }
  }
  s[w] = '\0';
  return w;
}

char *read_text(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) fail_msg("file missing: %s", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  assert_non_null(buf);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  buf[n] = '\0';
  fclose(f);
  if (len) *len = (size_t)n;
  return buf;
}
