package org.vitals.inference.glucose;

/**
 * The glucose-insulin model of the UVA/Padova type 1 diabetes simulator: Dalla Man C, Rizza RA,
 * Cobelli C, "Meal simulation model of the glucose-insulin system", IEEE TBME
 * 2007;54(10):1740-1749, with the subcutaneous insulin and glucose compartments of Kovatchev BP et
 * al., J Diabetes Sci Technol 2009;3(1):44-55. The equations follow the open reference
 * implementation {@code simglucose/patient/t1dpatient.py} (Xie J, MIT licence), state by state:
 *
 * <pre>
 *  0 Qsto1 stomach solid      5 Ip  plasma insulin        10 Isc1 subcutaneous insulin 1
 *  1 Qsto2 stomach liquid     6 X   insulin action (use)  11 Isc2 subcutaneous insulin 2
 *  2 Qgut  gut                7 I1  delayed insulin       12 Gs   subcutaneous glucose
 *  3 Gp    plasma glucose     8 Id  insulin action (EGP)
 *  4 Gt    tissue glucose     9 Il  liver insulin
 * </pre>
 *
 * Integrated with fixed-step fourth-order Runge–Kutta; {@code StrictMath} keeps traces
 * bit-identical across machines, so training is reproducible everywhere.
 */
public final class UvaPadovaModel {

  /** Number of states. */
  public static final int STATES = 13;

  private final double kmax, kmin, kabs, b, d, f, bw, kp1, kp2, kp3, fsnc, ke1, ke2, k1, k2;
  private final double vm0, vmx, km0, m1, m2, m4, m30, ka1, ka2, kd, ki, p2u, ib, vi, ksc, vg;

  /** The model of one virtual patient. */
  public UvaPadovaModel(VirtualPatient p) {
    kmax = p.p("kmax");
    kmin = p.p("kmin");
    kabs = p.p("kabs");
    b = p.p("b");
    d = p.p("d");
    f = p.p("f");
    bw = p.p("BW");
    kp1 = p.p("kp1");
    kp2 = p.p("kp2");
    kp3 = p.p("kp3");
    fsnc = p.p("Fsnc");
    ke1 = p.p("ke1");
    ke2 = p.p("ke2");
    k1 = p.p("k1");
    k2 = p.p("k2");
    vm0 = p.p("Vm0");
    vmx = p.p("Vmx");
    km0 = p.p("Km0");
    m1 = p.p("m1");
    m2 = p.p("m2");
    m4 = p.p("m4");
    m30 = p.p("m30");
    ka1 = p.p("ka1");
    ka2 = p.p("ka2");
    kd = p.p("kd");
    ki = p.p("ki");
    p2u = p.p("p2u");
    ib = p.p("Ib");
    vi = p.p("Vi");
    ksc = p.p("ksc");
    vg = p.p("Vg");
  }

  /** Subcutaneous glucose in mg/dL, what a CGM measures. */
  public double subcutaneousGlucose(double[] x) {
    return x[12] / vg;
  }

  /** Plasma glucose in mg/dL. */
  public double plasmaGlucose(double[] x) {
    return x[3] / vg;
  }

  /** Basal insulin rate that holds the initial steady state, U/min. */
  public static double basalUnitsPerMinute(VirtualPatient p) {
    return p.p("u2ss") * p.p("BW") / 6000.0;
  }

  /**
   * Derivatives.
   *
   * @param carbsMgPerMin carbohydrate ingestion rate, mg/min
   * @param insulinUPerMin subcutaneous insulin infusion, U/min
   * @param dbar total carbohydrate of the meal being digested, mg (0 when none)
   */
  double[] derivative(double[] x, double carbsMgPerMin, double insulinUPerMin, double dbar) {
    double[] dx = new double[STATES];
    double insulin = insulinUPerMin * 6000.0 / bw; // pmol/kg/min
    double qsto = x[0] + x[1];
    dx[0] = -kmax * x[0] + carbsMgPerMin;
    double kgut;
    if (dbar > 0) {
      double aa = 5 / (2 * dbar * (1 - b));
      double cc = 5 / (2 * dbar * d);
      kgut =
          kmin
              + (kmax - kmin)
                  / 2
                  * (StrictMath.tanh(aa * (qsto - b * dbar))
                      - StrictMath.tanh(cc * (qsto - d * dbar))
                      + 2);
    } else {
      kgut = kmax;
    }
    dx[1] = kmax * x[0] - x[1] * kgut;
    dx[2] = kgut * x[1] - kabs * x[2];
    double ra = f * kabs * x[2] / bw;
    double egp = kp1 - kp2 * x[3] - kp3 * x[8];
    double et = x[3] > ke2 ? ke1 * (x[3] - ke2) : 0;
    dx[3] = Math.max(egp, 0) + ra - fsnc - et - k1 * x[3] + k2 * x[4];
    dx[3] = x[3] >= 0 ? dx[3] : 0;
    double vmt = vm0 + vmx * x[6];
    double uid = vmt * x[4] / (km0 + x[4]);
    dx[4] = -uid + k1 * x[3] - k2 * x[4];
    dx[4] = x[4] >= 0 ? dx[4] : 0;
    dx[5] = -(m2 + m4) * x[5] + m1 * x[9] + ka1 * x[10] + ka2 * x[11];
    double it = x[5] / vi;
    dx[5] = x[5] >= 0 ? dx[5] : 0;
    dx[6] = -p2u * x[6] + p2u * (it - ib);
    dx[7] = -ki * (x[7] - it);
    dx[8] = -ki * (x[8] - x[7]);
    dx[9] = -(m1 + m30) * x[9] + m2 * x[5];
    dx[9] = x[9] >= 0 ? dx[9] : 0;
    dx[10] = insulin - (ka1 + kd) * x[10];
    dx[10] = x[10] >= 0 ? dx[10] : 0;
    dx[11] = kd * x[10] - ka2 * x[11];
    dx[11] = x[11] >= 0 ? dx[11] : 0;
    dx[12] = -ksc * x[12] + ksc * x[3];
    dx[12] = x[12] >= 0 ? dx[12] : 0;
    return dx;
  }

  /** One RK4 step of {@code h} minutes with inputs held constant over the step. */
  public double[] step(
      double[] x, double h, double carbsMgPerMin, double insulinUPerMin, double dbar) {
    double[] k1v = derivative(x, carbsMgPerMin, insulinUPerMin, dbar);
    double[] k2v = derivative(axpy(x, k1v, h / 2), carbsMgPerMin, insulinUPerMin, dbar);
    double[] k3v = derivative(axpy(x, k2v, h / 2), carbsMgPerMin, insulinUPerMin, dbar);
    double[] k4v = derivative(axpy(x, k3v, h), carbsMgPerMin, insulinUPerMin, dbar);
    double[] out = new double[STATES];
    for (int i = 0; i < STATES; i++) {
      out[i] = x[i] + h / 6 * (k1v[i] + 2 * k2v[i] + 2 * k3v[i] + k4v[i]);
    }
    return out;
  }

  private static double[] axpy(double[] x, double[] dx, double h) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i] + h * dx[i];
    }
    return y;
  }
}
