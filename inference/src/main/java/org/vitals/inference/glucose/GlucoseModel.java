package org.vitals.inference.glucose;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The glucose forecaster's ONNX graph served with ONNX Runtime: {@value GlucoseFeatures#COUNT}
 * float inputs per row, two outputs (scaled change at 30 and 60 min). Thread-safe (ONNX Runtime
 * sessions allow concurrent {@code run}).
 */
public final class GlucoseModel implements AutoCloseable {

  /** File name of the shipped model in {@code models/}. */
  public static final String FILE_NAME = "glucose-forecaster.onnx";

  /** Classpath location of the shipped model inside the jar. */
  public static final String RESOURCE = "/models/" + FILE_NAME;

  private final OrtEnvironment env;
  private final OrtSession session;
  private final String inputName;

  private GlucoseModel(byte[] onnx) throws OrtException {
    this.env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    // One thread per call: calls are tiny and the CDS services run many in parallel.
    options.setIntraOpNumThreads(1);
    this.session = env.createSession(onnx, options);
    this.inputName = session.getInputNames().iterator().next();
    long[] shape =
        ((ai.onnxruntime.TensorInfo) session.getInputInfo().get(inputName).getInfo()).getShape();
    if (shape.length != 2 || shape[1] != GlucoseFeatures.COUNT) {
      throw new IllegalArgumentException(
          "glucose model expects input shape "
              + java.util.Arrays.toString(shape)
              + ", this code builds [batch, "
              + GlucoseFeatures.COUNT
              + "]: model and code do not match");
    }
  }

  /** Loads a model from ONNX bytes. */
  public static GlucoseModel fromBytes(byte[] onnx) {
    try {
      return new GlucoseModel(onnx);
    } catch (OrtException e) {
      throw new IllegalStateException("cannot load the glucose ONNX model: " + e.getMessage(), e);
    }
  }

  /** Loads a model file. */
  public static GlucoseModel load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("glucose model not found at " + file.toAbsolutePath());
    }
    return fromBytes(Files.readAllBytes(file));
  }

  /**
   * Loads the shipped model: {@code models/glucose-forecaster.onnx} from the jar, or, when running
   * from a checkout without it on the class path, from {@code models/} or {@code ../models/}.
   */
  public static GlucoseModel loadDefault() throws IOException {
    try (InputStream in = GlucoseModel.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        return fromBytes(in.readAllBytes());
      }
    }
    for (Path candidate :
        new Path[] {Path.of("models", FILE_NAME), Path.of("..", "models", FILE_NAME)}) {
      if (Files.isRegularFile(candidate)) {
        return load(candidate);
      }
    }
    throw new IOException(
        "glucose model not found: neither "
            + RESOURCE
            + " on the class path nor models/"
            + FILE_NAME
            + "; run train-glucose or pass --model");
  }

  /** Runs the model on rows of features; returns one row of two scaled changes per input row. */
  public float[][] predict(float[][] features) {
    if (features.length == 0) {
      return new float[0][];
    }
    int n = features.length;
    FloatBuffer buffer = FloatBuffer.allocate(n * GlucoseFeatures.COUNT);
    for (float[] row : features) {
      if (row.length != GlucoseFeatures.COUNT) {
        throw new IllegalArgumentException("feature row of length " + row.length);
      }
      buffer.put(row);
    }
    buffer.flip();
    try (OnnxTensor input =
            OnnxTensor.createTensor(env, buffer, new long[] {n, GlucoseFeatures.COUNT});
        OrtSession.Result result = session.run(Map.of(inputName, input))) {
      return (float[][]) result.get(0).getValue();
    } catch (OrtException e) {
      throw new IllegalStateException("glucose model failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("cannot close the glucose model session", e);
    }
  }
}
