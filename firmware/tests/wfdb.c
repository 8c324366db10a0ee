#include "wfdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char *err, size_t n, const char *msg, const char *path) {
  snprintf(err, n, "%s: %s", msg, path);
  return -1;
}

int wfdb_read_header(const char *path, wfdb_header *h, char *err, size_t errlen) {
  FILE *f = fopen(path, "r");
  if (f == NULL) return fail(err, errlen, "cannot open WFDB header", path);
  memset(h, 0, sizeof(*h));
  char line[512];
  int sig = -1;
  while (fgets(line, sizeof line, f) != NULL) {
    line[strcspn(line, "\r\n")] = '\0'; /* LF or CRLF headers */
    if (line[0] == '#' || line[0] == '\0') continue;
    if (sig < 0) {
      char name[64];
      if (sscanf(line, "%63s %d %lf %ld", name, &h->nsig, &h->fs, &h->nsamples) != 4 ||
          h->nsig < 1 || h->nsig > WFDB_MAX_SIG || h->fs <= 0) {
        fclose(f);
        return fail(err, errlen, "bad record line in header", path);
      }
      sig = 0;
      continue;
    }
    if (sig >= h->nsig) break;
    char gain[32];
    int bits, zero, init, cks, bs;
    char desc[32] = "";
    int n = sscanf(line, "%63s %d %31s %d %d %d %d %d %31[^\n]", h->file[sig], &h->format[sig],
                   gain, &bits, &zero, &init, &cks, &bs, desc);
    if (n < 5) {
      fclose(f);
      return fail(err, errlen, "bad signal line in header", path);
    }
    h->gain[sig] = atof(gain);
    h->zero[sig] = zero;
    snprintf(h->desc[sig], sizeof h->desc[sig], "%s", desc);
    sig++;
  }
  fclose(f);
  if (sig != h->nsig) return fail(err, errlen, "header has fewer signal lines than declared", path);
  return 0;
}

int wfdb_read_212(const char *path, const wfdb_header *h, int16_t **out, char *err,
                  size_t errlen) {
  if (h->nsig != 2 || h->format[0] != 212) return fail(err, errlen, "only 2-signal format 212", path);
  FILE *f = fopen(path, "rb");
  if (f == NULL) return fail(err, errlen, "cannot open WFDB signal file", path);
  size_t total = (size_t)h->nsamples * 2;
  int16_t *v = malloc(total * sizeof(int16_t));
  if (v == NULL) {
    fclose(f);
    return fail(err, errlen, "out of memory", path);
  }
  uint8_t b[3];
  for (size_t i = 0; i < total; i += 2) {
    if (fread(b, 1, 3, f) != 3) {
      free(v);
      fclose(f);
      return fail(err, errlen, "signal file shorter than the header says", path);
    }
    int s0 = b[0] | ((b[1] & 0x0F) << 8);
    int s1 = b[2] | ((b[1] & 0xF0) << 4);
    if (s0 & 0x800) s0 -= 0x1000;
    if (s1 & 0x800) s1 -= 0x1000;
    v[i] = (int16_t)s0;
    v[i + 1] = (int16_t)s1;
  }
  fclose(f);
  *out = v;
  return 0;
}

int wfdb_read_atr(const char *path, wfdb_ann **out, size_t *count, char *err, size_t errlen) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return fail(err, errlen, "cannot open WFDB annotation file", path);
  size_t cap = 4096, n = 0;
  wfdb_ann *a = malloc(cap * sizeof(*a));
  long t = 0;
  uint8_t w[2];
  while (a != NULL && fread(w, 1, 2, f) == 2) {
    unsigned word = (unsigned)(w[0] | (w[1] << 8));
    int type = (int)(word >> 10);
    int dt = (int)(word & 0x3FF);
    if (type == 0 && dt == 0) break; /* end of file */
    if (type == 59) {                /* SKIP: 32-bit interval, high word first */
      uint8_t s[4];
      if (fread(s, 1, 4, f) != 4) break;
      long hi = (long)(int16_t)(s[0] | (s[1] << 8));
      long lo = (long)(uint16_t)(s[2] | (s[3] << 8));
      t += hi * 65536L + lo;
      continue;
    }
    if (type == 63) { /* AUX: dt bytes of text, padded to even */
      fseek(f, (long)((dt + 1) & ~1), SEEK_CUR);
      continue;
    }
    if (type == 60 || type == 61 || type == 62) continue; /* NUM, SUB, CHN */
    t += dt;
    if (n == cap) {
      cap *= 2;
      wfdb_ann *b = realloc(a, cap * sizeof(*a));
      if (b == NULL) break;
      a = b;
    }
    a[n].sample = t;
    a[n].type = type;
    n++;
  }
  fclose(f);
  if (a == NULL) return fail(err, errlen, "out of memory", path);
  *out = a;
  *count = n;
  return 0;
}

int wfdb_is_qrs(int type) {
  switch (type) {
    case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 8: case 9: case 10:
    case 11: case 12: case 13: case 25: case 34: case 35: case 38: case 41:
      return 1;
    default:
      return 0;
  }
}
