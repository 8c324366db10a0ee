#include "mitdb_eval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vt_ecg.h"
#include "wfdb.h"

#ifndef VT_SHARED_DATA_DEFAULT
#define VT_SHARED_DATA_DEFAULT "../shared/data"
#endif

const char *mitdb_dir(void) {
  static char buf[1024];
  const char *base = getenv("VITALS_SHARED_DATA");
  if (base == NULL || base[0] == '\0') base = VT_SHARED_DATA_DEFAULT;
  snprintf(buf, sizeof buf, "%s/mitdb", base);
  return buf;
}

static int cmp_name(const void *a, const void *b) { return strcmp((const char *)a, (const char *)b); }

int mitdb_records(const char *dir, char names[][8], int max) {
  char path[1200];
  snprintf(path, sizeof path, "%s/SHA256SUMS", dir);
  FILE *f = fopen(path, "r");
  if (f == NULL) return 0;
  char line[512];
  int n = 0;
  while (fgets(line, sizeof line, f) != NULL && n < max) {
    char *hea = strstr(line, ".hea");
    if (hea == NULL) continue;
    char *start = hea;
    while (start > line && start[-1] != ' ' && start[-1] != '*' && start[-1] != '/') start--;
    size_t len = (size_t)(hea - start);
    if (len == 0 || len >= 8) continue;
    memcpy(names[n], start, len);
    names[n][len] = '\0';
    n++;
  }
  fclose(f);
  qsort(names, (size_t)n, sizeof names[0], cmp_name);
  return n;
}

#define MATCH_S 0.150
#define LEARN_S 300.0

int mitdb_eval_record(const char *dir, const char *record, int fs, qrs_score *out, char *err,
                      size_t errlen) {
  char path[1200];
  wfdb_header h;
  memset(out, 0, sizeof(*out));
  snprintf(path, sizeof path, "%s/%s.hea", dir, record);
  if (wfdb_read_header(path, &h, err, errlen) != 0) return -1;
  int ch = 0; /* the modified lead II where the record has it (114 has it second) */
  for (int s = 0; s < h.nsig; s++) {
    if (strcmp(h.desc[s], "MLII") == 0) {
      ch = s;
      break;
    }
  }
  int16_t *sig = NULL;
  snprintf(path, sizeof path, "%s/%s", dir, h.file[0]);
  if (wfdb_read_212(path, &h, &sig, err, errlen) != 0) return -1;
  wfdb_ann *ann = NULL;
  size_t nann = 0;
  snprintf(path, sizeof path, "%s/%s.atr", dir, record);
  if (wfdb_read_atr(path, &ann, &nann, err, errlen) != 0) {
    free(sig);
    return -1;
  }

  /* Run the node's ECG front end on the resampled signal; collect R times (s). */
  vt_ecg ecg;
  if (vt_ecg_init(&ecg, (uint16_t)fs, 60) != 0) {
    snprintf(err, errlen, "vt_ecg_init failed for fs %d", fs);
    free(sig);
    free(ann);
    return -1;
  }
  double duration = (double)h.nsamples / h.fs;
  long nout = (long)(duration * fs);
  size_t cap = 8192, ndet = 0;
  double *det = malloc(cap * sizeof(double));
  for (long i = 0; i < nout && det != NULL; i++) {
    double t = (double)i / fs * h.fs;
    long k = (long)t;
    double frac = t - (double)k;
    if (k + 1 >= h.nsamples) break;
    double a = sig[k * h.nsig + ch], b = sig[(k + 1) * h.nsig + ch];
    float x = (float)(a + (b - a) * frac - h.zero[ch]);
    vt_ecg_out o;
    vt_ecg_step(&ecg, x, false, false, &o);
    if (o.beat) {
      if (ndet == cap) {
        cap *= 2;
        double *nd = realloc(det, cap * sizeof(double));
        if (nd == NULL) break;
        det = nd;
      }
      det[ndet++] = (double)(i - (long)o.r_age) / fs;
    }
  }
  free(sig);
  if (det == NULL) {
    free(ann);
    snprintf(err, errlen, "out of memory");
    return -1;
  }

  /* VF episodes, then reference beats in the scored part. */
  double vf_on[64], vf_off[64];
  int nvf = 0;
  for (size_t i = 0; i < nann && nvf < 64; i++) {
    if (ann[i].type == 32) vf_on[nvf] = ann[i].sample / h.fs, vf_off[nvf] = duration;
    if (ann[i].type == 33 && (nvf < 64)) {
      vf_off[nvf] = ann[i].sample / h.fs;
      nvf++;
    }
  }
  /* An episode still open at the end of the record. */
  for (size_t i = nann; i-- > 0;) {
    if (ann[i].type == 33) break;
    if (ann[i].type == 32 && nvf < 64) {
      vf_on[nvf] = ann[i].sample / h.fs;
      vf_off[nvf++] = duration;
      break;
    }
  }
  size_t nref = 0;
  double *ref = malloc((nann + 1) * sizeof(double));
  for (size_t i = 0; i < nann; i++) {
    if (wfdb_is_qrs(ann[i].type)) ref[nref++] = ann[i].sample / h.fs;
  }
  free(ann);

#define EXCLUDED(t) excluded((t), vf_on, vf_off, nvf)
  int *used = calloc(ndet + 1, sizeof(int));
  size_t j = 0;
  for (size_t i = 0; i < nref; i++) {
    double t = ref[i];
    while (j < ndet && det[j] < t - MATCH_S) j++;
    /* nearest unused detection within the window */
    long best = -1;
    double bestd = MATCH_S + 1;
    for (size_t k = j; k < ndet && det[k] <= t + MATCH_S; k++) {
      double d = det[k] > t ? det[k] - t : t - det[k];
      if (!used[k] && d <= MATCH_S && d < bestd) {
        bestd = d;
        best = (long)k;
      }
    }
    if (best >= 0) used[best] = 1;
    int scored = t >= LEARN_S;
    for (int v = 0; v < nvf; v++) {
      if (t >= vf_on[v] && t <= vf_off[v]) scored = 0;
    }
    if (!scored) continue;
    out->ref_beats++;
    if (best >= 0) {
      out->tp++;
    } else {
      out->fn++;
    }
  }
  for (size_t k = 0; k < ndet; k++) {
    double t = det[k];
    int scored = t >= LEARN_S;
    for (int v = 0; v < nvf; v++) {
      if (t >= vf_on[v] && t <= vf_off[v]) scored = 0;
    }
    if (scored && !used[k]) out->fp++;
  }
  free(used);
  free(ref);
  free(det);
  return 0;
}
