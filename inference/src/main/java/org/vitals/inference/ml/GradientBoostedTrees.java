package org.vitals.inference.ml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Gradient-boosted regression trees, second order (Newton) as in XGBoost (Chen &amp; Guestrin, KDD
 * 2016) with histogram split finding as in LightGBM (Ke et al., NeurIPS 2017): a softmax loss for
 * classification (one tree per class and round) or a squared loss for regression (one tree per
 * target and round). Written here because Tribuo's tree models do not export to ONNX; this model
 * exports itself as one {@code ai.onnx.ml.TreeEnsembleRegressor} node ({@link TreeEnsembleOnnx}).
 *
 * <p>Inputs are float32, exactly what ONNX Runtime sees; a split sends {@code x <= threshold} (both
 * float32) left, like the ONNX {@code BRANCH_LEQ} mode, so the Java and ONNX trees route every row
 * the same way. Training is single-threaded and seeded: the same data and settings give the same
 * trees.
 */
public final class GradientBoostedTrees {

  /** The loss: softmax over classes, or squared error per target. */
  public enum Loss {
    SOFTMAX,
    SQUARED
  }

  /**
   * Settings of a training run.
   *
   * @param rounds boosting rounds
   * @param learningRate shrinkage of each tree
   * @param maxDepth depth of each tree (a depth-1 tree is a stump)
   * @param minChildHessian smallest sum of hessians (weighted rows for squared loss) in a leaf
   * @param lambda L2 penalty on leaf values
   * @param rowSample share of rows drawn (without replacement) for each round
   * @param colSample share of features offered to each tree
   * @param bins histogram bins per feature (at most 255)
   * @param seed random seed
   */
  public record Settings(
      int rounds,
      double learningRate,
      int maxDepth,
      double minChildHessian,
      double lambda,
      double rowSample,
      double colSample,
      int bins,
      long seed) {

    public Settings {
      if (rounds < 1 || maxDepth < 1 || bins < 2 || bins > 255) {
        throw new IllegalArgumentException("invalid boosting settings " + this);
      }
    }
  }

  /**
   * One tree in flat arrays; node 0 is the root. An inner node has {@code feature >= 0} and sends
   * {@code x[feature] <= threshold} to {@code left}, the rest to {@code right}; a leaf has {@code
   * feature == -1} and adds {@code value}.
   */
  public record Tree(int[] feature, float[] threshold, int[] left, int[] right, double[] value) {

    public int size() {
      return feature.length;
    }

    double predict(float[] x) {
      int n = 0;
      while (feature[n] >= 0) {
        n = x[feature[n]] <= threshold[n] ? left[n] : right[n];
      }
      return value[n];
    }
  }

  private final Loss loss;
  private final int features;
  private final double[] base;
  private final List<Tree>[] trees;

  /** A model from its parts (for loading); trees[k] are the trees of output k. */
  public GradientBoostedTrees(Loss loss, int features, double[] base, List<List<Tree>> trees) {
    this.loss = loss;
    this.features = features;
    this.base = base.clone();
    @SuppressWarnings("unchecked")
    List<Tree>[] t = new List[trees.size()];
    for (int k = 0; k < t.length; k++) {
      t[k] = List.copyOf(trees.get(k));
    }
    this.trees = t;
  }

  /**
   * The same trees reading a longer input row (the extra inputs are not used): lets a model trained
   * on the first columns of a feature vector take the whole vector.
   */
  public GradientBoostedTrees withFeatureCount(int count) {
    if (count < features) {
      throw new IllegalArgumentException("the trees read " + features + " features");
    }
    List<List<Tree>> t = new ArrayList<>();
    for (List<Tree> list : trees) {
      t.add(list);
    }
    return new GradientBoostedTrees(loss, count, base, t);
  }

  /**
   * The same trees with {@code add} added to the base values: for a classifier, a shift of the
   * log-odds, i.e. of the class priors (decision thresholds tuned after training).
   */
  public GradientBoostedTrees withBaseShift(double[] add) {
    double[] b = base.clone();
    for (int k = 0; k < b.length; k++) {
      b[k] += add[k];
    }
    List<List<Tree>> t = new ArrayList<>();
    for (List<Tree> list : trees) {
      t.add(list);
    }
    return new GradientBoostedTrees(loss, features, b, t);
  }

  public Loss loss() {
    return loss;
  }

  public int featureCount() {
    return features;
  }

  public int outputs() {
    return base.length;
  }

  public double[] base() {
    return base.clone();
  }

  /** The trees of output {@code k}, in boosting order. */
  public List<Tree> trees(int k) {
    return trees[k];
  }

  /** Sum of base and tree values per output (log-odds for softmax, the prediction for squared). */
  public double[] raw(float[] x) {
    double[] out = base.clone();
    for (int k = 0; k < out.length; k++) {
      for (Tree t : trees[k]) {
        out[k] += t.predict(x);
      }
    }
    return out;
  }

  /** Class probabilities (softmax) or regression outputs. */
  public double[] predict(float[] x) {
    double[] r = raw(x);
    return loss == Loss.SOFTMAX ? softmax(r) : r;
  }

  static double[] softmax(double[] r) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : r) {
      max = Math.max(max, v);
    }
    double s = 0;
    double[] p = new double[r.length];
    for (int k = 0; k < r.length; k++) {
      p[k] = Math.exp(r[k] - max);
      s += p[k];
    }
    for (int k = 0; k < r.length; k++) {
      p[k] /= s;
    }
    return p;
  }

  /**
   * Trains a classifier.
   *
   * @param x rows of features
   * @param y class index of each row, 0..classes-1
   * @param weight weight of each row (class weights), positive
   * @param progress told the number of finished rounds, may be null
   */
  public static GradientBoostedTrees trainClassifier(
      float[][] x, int[] y, double[] weight, int classes, Settings s, IntConsumer progress) {
    double[][] target = new double[x.length][classes];
    for (int i = 0; i < x.length; i++) {
      target[i][y[i]] = 1;
    }
    return train(Loss.SOFTMAX, x, target, weight, s, progress);
  }

  /** Trains a regressor with one output per column of {@code y}. */
  public static GradientBoostedTrees trainRegressor(
      float[][] x, double[][] y, double[] weight, Settings s, IntConsumer progress) {
    return train(Loss.SQUARED, x, y, weight, s, progress);
  }

  private static GradientBoostedTrees train(
      Loss loss, float[][] x, double[][] y, double[] weight, Settings s, IntConsumer progress) {
    int n = x.length;
    if (n == 0) {
      throw new IllegalArgumentException("no training rows");
    }
    int d = x[0].length;
    int k = y[0].length;
    Binned binned = Binned.of(x, s.bins());
    double[] base = new double[k];
    double wsum = 0;
    for (int i = 0; i < n; i++) {
      wsum += weight[i];
      for (int c = 0; c < k; c++) {
        base[c] += weight[i] * y[i][c];
      }
    }
    for (int c = 0; c < k; c++) {
      base[c] /= wsum;
      if (loss == Loss.SOFTMAX) {
        base[c] = Math.log(Math.max(base[c], 1e-6));
      }
    }
    double[][] score = new double[n][];
    for (int i = 0; i < n; i++) {
      score[i] = base.clone();
    }
    List<List<Tree>> trees = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      trees.add(new ArrayList<>());
    }
    SplittableRandom rnd = new SplittableRandom(s.seed());
    int sampleRows = Math.max(1, (int) Math.round(s.rowSample() * n));
    int sampleCols = Math.max(1, (int) Math.round(s.colSample() * d));
    int[] allRows = new int[n];
    int[] allCols = new int[d];
    for (int i = 0; i < n; i++) {
      allRows[i] = i;
    }
    for (int j = 0; j < d; j++) {
      allCols[j] = j;
    }
    double[] g = new double[n];
    double[] h = new double[n];
    TreeBuilder builder = new TreeBuilder(binned, s);
    for (int round = 0; round < s.rounds(); round++) {
      int[] rows = sample(allRows, sampleRows, rnd);
      Arrays.sort(rows);
      double[][] p = new double[n][];
      if (loss == Loss.SOFTMAX) {
        for (int i : rows) {
          p[i] = softmax(score[i]);
        }
      }
      for (int c = 0; c < k; c++) {
        for (int i : rows) {
          if (loss == Loss.SOFTMAX) {
            double pi = p[i][c];
            g[i] = weight[i] * (pi - y[i][c]);
            h[i] = weight[i] * Math.max(pi * (1 - pi), 1e-6);
          } else {
            g[i] = weight[i] * (score[i][c] - y[i][c]);
            h[i] = weight[i];
          }
        }
        int[] cols = sample(allCols, sampleCols, rnd);
        Arrays.sort(cols);
        Tree t = builder.build(rows.clone(), cols, g, h);
        trees.get(c).add(t);
        for (int i = 0; i < n; i++) {
          score[i][c] += builder.predictBinned(t, i);
        }
      }
      if (progress != null) {
        progress.accept(round + 1);
      }
    }
    return new GradientBoostedTrees(loss, d, base, trees);
  }

  private static int[] sample(int[] all, int m, SplittableRandom rnd) {
    if (m >= all.length) {
      return all.clone();
    }
    int[] a = all.clone();
    for (int i = 0; i < m; i++) {
      int j = i + rnd.nextInt(a.length - i);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return Arrays.copyOf(a, m);
  }

  /** Features cut into histogram bins: {@code bin <= b} exactly when {@code x <= edge[b]}. */
  static final class Binned {
    final byte[][] bin; // [feature][row]
    final float[][] edge; // [feature][b], increasing; the last bin has no edge

    private Binned(byte[][] bin, float[][] edge) {
      this.bin = bin;
      this.edge = edge;
    }

    static Binned of(float[][] x, int bins) {
      int n = x.length;
      int d = x[0].length;
      byte[][] bin = new byte[d][n];
      float[][] edge = new float[d][];
      float[] col = new float[n];
      for (int j = 0; j < d; j++) {
        for (int i = 0; i < n; i++) {
          col[i] = x[i][j];
        }
        float[] sorted = col.clone();
        Arrays.sort(sorted);
        List<Float> edges = new ArrayList<>();
        for (int b = 1; b < bins; b++) {
          int at = (int) ((long) b * n / bins);
          float lo = sorted[Math.max(0, at - 1)];
          // an edge between two distinct values, so equal values never straddle it
          int hiAt = at;
          while (hiAt < n && sorted[hiAt] <= lo) {
            hiAt++;
          }
          if (hiAt >= n) {
            break;
          }
          float e = (float) ((lo + (double) sorted[hiAt]) / 2);
          if (!(e >= lo && e < sorted[hiAt])) {
            e = lo;
          }
          if (edges.isEmpty() || e > edges.get(edges.size() - 1)) {
            edges.add(e);
          }
        }
        float[] ej = new float[edges.size()];
        for (int b = 0; b < ej.length; b++) {
          ej[b] = edges.get(b);
        }
        edge[j] = ej;
        for (int i = 0; i < n; i++) {
          bin[j][i] = (byte) binOf(ej, col[i]);
        }
      }
      return new Binned(bin, edge);
    }

    /** The first bin whose edge is at least v; the last bin when none is. */
    static int binOf(float[] edges, float v) {
      int lo = 0;
      int hi = edges.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (v <= edges[mid]) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return lo;
    }
  }

  /** Depth-wise tree growth on histograms, with the sibling-subtraction trick. */
  private static final class TreeBuilder {
    private final Binned data;
    private final Settings s;
    private final int maxBins;
    private final List<Integer> featureList = new ArrayList<>();
    private final List<Float> thresholdList = new ArrayList<>();
    private final List<Integer> leftList = new ArrayList<>();
    private final List<Integer> rightList = new ArrayList<>();
    private final List<Double> valueList = new ArrayList<>();
    private final List<Integer> splitBin = new ArrayList<>();

    TreeBuilder(Binned data, Settings s) {
      this.data = data;
      this.s = s;
      int m = 0;
      for (float[] e : data.edge) {
        m = Math.max(m, e.length + 1);
      }
      this.maxBins = m;
    }

    Tree build(int[] rows, int[] cols, double[] g, double[] h) {
      featureList.clear();
      thresholdList.clear();
      leftList.clear();
      rightList.clear();
      valueList.clear();
      splitBin.clear();
      double[][] hist = histogram(rows, 0, rows.length, cols, g, h);
      grow(rows, 0, rows.length, cols, g, h, hist, 0);
      int m = featureList.size();
      int[] f = new int[m];
      float[] t = new float[m];
      int[] l = new int[m];
      int[] r = new int[m];
      double[] v = new double[m];
      for (int i = 0; i < m; i++) {
        f[i] = featureList.get(i);
        t[i] = thresholdList.get(i);
        l[i] = leftList.get(i);
        r[i] = rightList.get(i);
        v[i] = valueList.get(i);
      }
      Tree tree = new Tree(f, t, l, r, v);
      binOfNode = splitBin.stream().mapToInt(Integer::intValue).toArray();
      return tree;
    }

    private int[] binOfNode = new int[0];

    /** The tree's value for training row i, routed on bins (same route as on the float values). */
    double predictBinned(Tree t, int i) {
      int n = 0;
      while (t.feature()[n] >= 0) {
        n = (data.bin[t.feature()[n]][i] & 0xff) <= binOfNode[n] ? t.left()[n] : t.right()[n];
      }
      return t.value()[n];
    }

    /** Returns the node index. hist[colIndex] = {G per bin..., H per bin...}. */
    private int grow(
        int[] rows,
        int from,
        int to,
        int[] cols,
        double[] g,
        double[] h,
        double[][] hist,
        int depth) {
      int node = featureList.size();
      featureList.add(-1);
      thresholdList.add(0f);
      leftList.add(-1);
      rightList.add(-1);
      valueList.add(0.0);
      splitBin.add(-1);
      double gs = 0;
      double hs = 0;
      for (int b = 0; b < maxBins; b++) {
        gs += hist[0][b];
        hs += hist[0][maxBins + b];
      }
      double lambda = s.lambda();
      double leaf = -gs / (hs + lambda) * s.learningRate();
      valueList.set(node, leaf);
      if (depth >= s.maxDepth() || hs < 2 * s.minChildHessian() || to - from < 2) {
        return node;
      }
      double parentScore = gs * gs / (hs + lambda);
      double bestGain = 1e-12;
      int bestCol = -1;
      int bestBin = -1;
      for (int c = 0; c < cols.length; c++) {
        int nb = data.edge[cols[c]].length;
        double gl = 0;
        double hl = 0;
        double[] hc = hist[c];
        for (int b = 0; b < nb; b++) {
          gl += hc[b];
          hl += hc[maxBins + b];
          if (hl < s.minChildHessian()) {
            continue;
          }
          double hr = hs - hl;
          if (hr < s.minChildHessian()) {
            break;
          }
          double gr = gs - gl;
          double gain = gl * gl / (hl + lambda) + gr * gr / (hr + lambda) - parentScore;
          if (gain > bestGain) {
            bestGain = gain;
            bestCol = c;
            bestBin = b;
          }
        }
      }
      if (bestCol < 0) {
        return node;
      }
      int f = cols[bestCol];
      byte[] fb = data.bin[f];
      // partition rows[from, to) into left (bin <= bestBin) and right, keeping order
      int[] tmp = new int[to - from];
      int nl = 0;
      for (int i = from; i < to; i++) {
        if ((fb[rows[i]] & 0xff) <= bestBin) {
          rows[from + nl++] = rows[i];
        } else {
          tmp[i - from - nl] = rows[i];
        }
      }
      System.arraycopy(tmp, 0, rows, from + nl, to - from - nl);
      int mid = from + nl;
      double[][] histL;
      double[][] histR;
      if (nl <= to - mid) {
        histL = histogram(rows, from, mid, cols, g, h);
        histR = subtract(hist, histL);
      } else {
        histR = histogram(rows, mid, to, cols, g, h);
        histL = subtract(hist, histR);
      }
      featureList.set(node, f);
      thresholdList.set(node, data.edge[f][bestBin]);
      splitBin.set(node, bestBin);
      int l = grow(rows, from, mid, cols, g, h, histL, depth + 1);
      int r = grow(rows, mid, to, cols, g, h, histR, depth + 1);
      leftList.set(node, l);
      rightList.set(node, r);
      return node;
    }

    private double[][] histogram(int[] rows, int from, int to, int[] cols, double[] g, double[] h) {
      double[][] hist = new double[cols.length][2 * maxBins];
      for (int c = 0; c < cols.length; c++) {
        byte[] fb = data.bin[cols[c]];
        double[] hc = hist[c];
        for (int i = from; i < to; i++) {
          int r = rows[i];
          int b = fb[r] & 0xff;
          hc[b] += g[r];
          hc[maxBins + b] += h[r];
        }
      }
      return hist;
    }

    private static double[][] subtract(double[][] parent, double[][] child) {
      double[][] out = new double[parent.length][];
      for (int c = 0; c < parent.length; c++) {
        double[] o = parent[c].clone();
        for (int b = 0; b < o.length; b++) {
          o[b] -= child[c][b];
        }
        out[c] = o;
      }
      return out;
    }
  }
}
