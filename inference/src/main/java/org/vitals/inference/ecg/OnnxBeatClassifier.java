package org.vitals.inference.ecg;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Serves the AAMI beat classifier with ONNX Runtime: standardises {@link BeatFeatures} rows with
 * the sidecar's training statistics, runs the ONNX graph (one float32 input {@code [batch,
 * features]}, one probability output {@code [batch, classes]}) and maps outputs to classes.
 * Thread-safe: ONNX Runtime sessions may be shared.
 */
public final class OnnxBeatClassifier implements AutoCloseable {

  /** Classpath location of the shipped model (copied from {@code models/} at build time). */
  public static final String DEFAULT_RESOURCE = "/models/ecg-beat-classifier";

  public static final ObjectMapper JSON = new ObjectMapper();

  private final OrtEnvironment env;
  private final OrtSession session;
  private final String inputName;
  private final FeatureScaler scaler;
  private final List<AamiClass> labels;
  private final double samplingRate;
  private final double[] classBias;

  private OnnxBeatClassifier(byte[] onnx, byte[] sidecarJson, String source) {
    try {
      JsonNode meta = JSON.readTree(sidecarJson);
      List<String> features = new ArrayList<>();
      meta.get("features").forEach(n -> features.add(n.asText()));
      if (!features.equals(BeatFeatures.NAMES)) {
        throw new IllegalStateException(
            source
                + ": the model expects "
                + features.size()
                + " features but this code computes "
                + BeatFeatures.count()
                + " (or other ones); retrain with train-ecg");
      }
      String expectedSha = meta.path("onnx_sha256").asText("");
      if (!expectedSha.isEmpty() && !expectedSha.equals(sha256(onnx))) {
        throw new IllegalStateException(source + ": ONNX file does not match its sidecar JSON");
      }
      double[] mean = JSON.convertValue(meta.get("mean"), double[].class);
      double[] std = JSON.convertValue(meta.get("std"), double[].class);
      scaler = new FeatureScaler(mean, std);
      labels = new ArrayList<>();
      meta.get("labels").forEach(n -> labels.add(AamiClass.fromLetter(n.asText())));
      samplingRate = meta.path("sampling_rate_hz").asDouble(360);
      classBias =
          meta.has("class_bias")
              ? JSON.convertValue(meta.get("class_bias"), double[].class)
              : new double[labels.size()];
      if (classBias.length != labels.size()) {
        throw new IllegalStateException(source + ": class_bias does not match the labels");
      }
      env = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      // one thread per call: callers scale out over beats and patients, not inside a batch
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      session = env.createSession(onnx, options);
      inputName = session.getInputNames().iterator().next();
    } catch (IOException e) {
      throw new UncheckedIOException(source + ": unreadable model sidecar", e);
    } catch (OrtException e) {
      throw new IllegalStateException(source + ": ONNX Runtime cannot load the model", e);
    }
  }

  /** Loads {@code base.onnx} and {@code base.json} from a folder (for example {@code models/}). */
  public static OnnxBeatClassifier load(Path dir, String base) throws IOException {
    Path onnx = dir.resolve(base + ".onnx");
    Path json = dir.resolve(base + ".json");
    for (Path p : List.of(onnx, json)) {
      if (!Files.isRegularFile(p)) {
        throw new NoSuchFileException(p.toString(), null, "model file not found");
      }
    }
    return new OnnxBeatClassifier(
        Files.readAllBytes(onnx), Files.readAllBytes(json), onnx.toString());
  }

  /** Loads the model shipped inside the jar. */
  public static OnnxBeatClassifier loadDefault() {
    try (InputStream onnx =
            OnnxBeatClassifier.class.getResourceAsStream(DEFAULT_RESOURCE + ".onnx");
        InputStream json =
            OnnxBeatClassifier.class.getResourceAsStream(DEFAULT_RESOURCE + ".json")) {
      if (onnx == null || json == null) {
        throw new IllegalStateException(
            "the ECG beat model is not on the classpath at "
                + DEFAULT_RESOURCE
                + ".onnx/.json; build the inference module from a checkout with models/");
      }
      return new OnnxBeatClassifier(onnx.readAllBytes(), json.readAllBytes(), DEFAULT_RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The sampling rate the model was trained at (features of other rates are resampled). */
  public double samplingRate() {
    return samplingRate;
  }

  /**
   * The log-probability offsets the shipped trees already contain (decision 0304), in {@link
   * #labels()} order; zeros for models without them.
   */
  public double[] classBias() {
    return classBias.clone();
  }

  /** The classes in output order. */
  public List<AamiClass> labels() {
    return List.copyOf(labels);
  }

  /** Class probabilities {@code [beat][class in labels() order]} for feature rows, batched. */
  public float[][] probabilities(double[][] featureRows) {
    if (featureRows.length == 0) {
      return new float[0][labels.size()];
    }
    int rows = featureRows.length;
    int cols = scaler.mean().length;
    // one flat direct buffer: ONNX Runtime copies it in one go (float[][] goes row by row)
    FloatBuffer input =
        ByteBuffer.allocateDirect(rows * cols * Float.BYTES)
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer();
    for (double[] row : featureRows) {
      if (row.length != cols) {
        throw new IllegalArgumentException(
            "feature row has " + row.length + " values, the model takes " + cols);
      }
      double[] s = scaler.apply(row);
      for (double v : s) {
        input.put((float) v);
      }
    }
    input.rewind();
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, new long[] {rows, cols});
        OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
      FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
      int k = labels.size();
      float[][] p = new float[rows][k];
      for (int i = 0; i < rows; i++) {
        out.get(p[i]);
      }
      return p;
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on the beat batch", e);
    }
  }

  /** The most probable class of each beat. */
  public AamiClass[] classify(double[][] featureRows) {
    float[][] p = probabilities(featureRows);
    AamiClass[] out = new AamiClass[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = labels.get(argMax(p[i]));
    }
    return out;
  }

  public static int argMax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  public static int argMax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }
}
