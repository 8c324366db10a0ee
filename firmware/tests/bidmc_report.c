/* Prints the PPG front end's agreement with the BIDMC monitor numerics, records 01-10.
 * Usage: bidmc_report [decimate]   (1: 125 Hz as recorded, 5: 25 Hz as the node samples). */
#include <stdio.h>
#include <stdlib.h>

#include "bidmc.h"
#include "support.h"

int main(int argc, char **argv) {
  int decimate = argc > 1 ? atoi(argv[1]) : 1; /* 5: the MAX30102's 25 samples/s */
  char dir[1100];
  snprintf(dir, sizeof dir, "%s/bidmc", shared_data_dir());
  int W = 0, A = 0, H5 = 0, S2 = 0;
  double HE = 0, SE = 0;
  printf("record windows accepted  HR MAE  HR<=5   SpO2 MAE  SpO2<=2\n");
  for (int r = 1; r <= 10; r++) {
    ppg_score s;
    char err[256];
    if (bidmc_eval_record(dir, r, decimate, &s, err, sizeof err) != 0) {
      fprintf(stderr, "%s\n", err);
      return 1;
    }
    printf("%02d     %5d   %5d    %6.2f  %5.1f%%  %6.2f    %5.1f%%\n", r, s.windows, s.accepted,
           s.accepted ? s.hr_abs_err_sum / s.accepted : 0.0,
           s.accepted ? 100.0 * s.hr_within5 / s.accepted : 0.0,
           s.accepted ? s.spo2_abs_err_sum / s.accepted : 0.0,
           s.accepted ? 100.0 * s.spo2_within2 / s.accepted : 0.0);
    W += s.windows, A += s.accepted, H5 += s.hr_within5, S2 += s.spo2_within2;
    HE += s.hr_abs_err_sum, SE += s.spo2_abs_err_sum;
  }
  printf("all    %5d   %5d    %6.2f  %5.1f%%  %6.2f    %5.1f%%\n", W, A, HE / A, 100.0 * H5 / A,
         SE / A, 100.0 * S2 / A);
  return 0;
}
