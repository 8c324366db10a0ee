#include "vt_wave.h"

const char *vt_wave_name(vt_wave_kind k) {
  switch (k) {
    case VT_WAVE_ECG: return "ecg";
    default: return 0;
  }
}
