/* Writes a C header with an excerpt of MIT-BIH lead MLII resampled to 250 Hz as Uno ADC
 * counts (512 + adu/2), for the AVR cycle benchmark. Generated at build time from the
 * shared data; never committed. Usage: make_excerpt <mitdb dir> <record> <seconds> > out.h */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wfdb.h"

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: make_excerpt <mitdb dir> <record> <seconds>\n");
    return 2;
  }
  char path[1200], err[512];
  wfdb_header h;
  snprintf(path, sizeof path, "%s/%s.hea", argv[1], argv[2]);
  if (wfdb_read_header(path, &h, err, sizeof err) != 0) {
    fprintf(stderr, "%s\n", err);
    return 1;
  }
  int16_t *sig;
  snprintf(path, sizeof path, "%s/%s", argv[1], h.file[0]);
  if (wfdb_read_212(path, &h, &sig, err, sizeof err) != 0) {
    fprintf(stderr, "%s\n", err);
    return 1;
  }
  int ch = strcmp(h.desc[1], "MLII") == 0 ? 1 : 0;
  long n = atol(argv[3]) * 250L;
  printf("/* MIT-BIH record %s (Moody & Mark 2001, PhysioNet, ODC-By 1.0), first %s s of %s, "
         "250 Hz, Uno ADC counts. Generated. */\n", argv[2], argv[3], h.desc[ch]);
  printf("#define ECG_N %ld\nstatic const uint16_t ECG[ECG_N] PROGMEM = {\n", n);
  for (long i = 0; i < n; i++) {
    double t = (double)i / 250.0 * h.fs;
    long k = (long)t;
    double a = sig[k * 2 + ch], b = sig[(k + 1) * 2 + ch];
    double adu = a + (b - a) * (t - (double)k) - h.zero[ch];
    printf("%d,%s", (int)(512.5 + adu / 2.0), (i % 16 == 15) ? "\n" : "");
  }
  printf("};\n");
  free(sig);
  return 0;
}
