package org.vitals.inference.ml;

import ai.onnx.proto.OnnxMl;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link GradientBoostedTrees} model as an ONNX graph: one float32 input {@code [batch,
 * features]}, an {@code ai.onnx.ml.TreeEnsembleRegressor} node (one target per class or output,
 * {@code BRANCH_LEQ} splits, summed leaves plus base values), then {@code Softmax} over the classes
 * for a classifier; one float32 output {@code [batch, outputs]}. The protobuf classes are those of
 * Tribuo's ONNX export ({@code tribuo-util-onnx}); ONNX Runtime serves the graph.
 */
public final class TreeEnsembleOnnx {

  /** Name of the graph input. */
  public static final String INPUT = "input";

  /** Name of the graph output. */
  public static final String OUTPUT = "output";

  private TreeEnsembleOnnx() {}

  /** The model as ONNX bytes, with {@code metadata} as metadata properties. */
  public static byte[] export(GradientBoostedTrees model, String domain, Map<String, String> meta) {
    int outputs = model.outputs();
    OnnxMl.NodeProto.Builder trees =
        OnnxMl.NodeProto.newBuilder()
            .setOpType("TreeEnsembleRegressor")
            .setDomain("ai.onnx.ml")
            .setName("trees")
            .addInput(INPUT)
            .addOutput(model.loss() == GradientBoostedTrees.Loss.SOFTMAX ? "scores" : OUTPUT);
    OnnxMl.AttributeProto.Builder treeIds = ints("nodes_treeids");
    OnnxMl.AttributeProto.Builder nodeIds = ints("nodes_nodeids");
    OnnxMl.AttributeProto.Builder featureIds = ints("nodes_featureids");
    OnnxMl.AttributeProto.Builder values = floats("nodes_values");
    OnnxMl.AttributeProto.Builder modes = strings("nodes_modes");
    OnnxMl.AttributeProto.Builder trueIds = ints("nodes_truenodeids");
    OnnxMl.AttributeProto.Builder falseIds = ints("nodes_falsenodeids");
    OnnxMl.AttributeProto.Builder missing = ints("nodes_missing_value_tracks_true");
    OnnxMl.AttributeProto.Builder targetTree = ints("target_treeids");
    OnnxMl.AttributeProto.Builder targetNode = ints("target_nodeids");
    OnnxMl.AttributeProto.Builder targetId = ints("target_ids");
    OnnxMl.AttributeProto.Builder targetWeight = floats("target_weights");
    int treeId = 0;
    for (int k = 0; k < outputs; k++) {
      List<GradientBoostedTrees.Tree> list = model.trees(k);
      for (GradientBoostedTrees.Tree t : list) {
        for (int n = 0; n < t.size(); n++) {
          treeIds.addInts(treeId);
          nodeIds.addInts(n);
          missing.addInts(0);
          if (t.feature()[n] >= 0) {
            featureIds.addInts(t.feature()[n]);
            values.addFloats(t.threshold()[n]);
            modes.addStrings(com.google.protobuf.ByteString.copyFromUtf8("BRANCH_LEQ"));
            trueIds.addInts(t.left()[n]);
            falseIds.addInts(t.right()[n]);
          } else {
            featureIds.addInts(0);
            values.addFloats(0f);
            modes.addStrings(com.google.protobuf.ByteString.copyFromUtf8("LEAF"));
            trueIds.addInts(0);
            falseIds.addInts(0);
            targetTree.addInts(treeId);
            targetNode.addInts(n);
            targetId.addInts(k);
            targetWeight.addFloats((float) t.value()[n]);
          }
        }
        treeId++;
      }
    }
    OnnxMl.AttributeProto.Builder base = floats("base_values");
    for (double b : model.base()) {
      base.addFloats((float) b);
    }
    trees
        .addAttribute(treeIds)
        .addAttribute(nodeIds)
        .addAttribute(featureIds)
        .addAttribute(values)
        .addAttribute(modes)
        .addAttribute(trueIds)
        .addAttribute(falseIds)
        .addAttribute(missing)
        .addAttribute(targetTree)
        .addAttribute(targetNode)
        .addAttribute(targetId)
        .addAttribute(targetWeight)
        .addAttribute(base)
        .addAttribute(
            OnnxMl.AttributeProto.newBuilder()
                .setName("n_targets")
                .setType(OnnxMl.AttributeProto.AttributeType.INT)
                .setI(outputs))
        .addAttribute(string("aggregate_function", "SUM"))
        .addAttribute(string("post_transform", "NONE"));
    OnnxMl.GraphProto.Builder graph =
        OnnxMl.GraphProto.newBuilder()
            .setName(domain)
            .addInput(tensor(INPUT, model.featureCount()))
            .addOutput(tensor(OUTPUT, outputs))
            .addNode(trees);
    if (model.loss() == GradientBoostedTrees.Loss.SOFTMAX) {
      graph.addNode(
          OnnxMl.NodeProto.newBuilder()
              .setOpType("Softmax")
              .setName("softmax")
              .addInput("scores")
              .addOutput(OUTPUT)
              .addAttribute(
                  OnnxMl.AttributeProto.newBuilder()
                      .setName("axis")
                      .setType(OnnxMl.AttributeProto.AttributeType.INT)
                      .setI(1)));
    }
    OnnxMl.ModelProto.Builder m =
        OnnxMl.ModelProto.newBuilder()
            .setIrVersion(8)
            .setProducerName("org.vitals.inference")
            .setDomain(domain)
            .setModelVersion(1)
            .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
            .addOpsetImport(
                OnnxMl.OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(3))
            .setGraph(graph);
    meta.forEach(
        (key, value) ->
            m.addMetadataProps(
                OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
    return m.build().toByteArray();
  }

  /** A float32 graph input or output of shape {@code [batch, cols]}. */
  public static OnnxMl.ValueInfoProto tensor(String name, long cols) {
    return OnnxMl.ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            OnnxMl.TypeProto.newBuilder()
                .setTensorType(
                    OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                        .setShape(
                            OnnxMl.TensorShapeProto.newBuilder()
                                .addDim(
                                    OnnxMl.TensorShapeProto.Dimension.newBuilder()
                                        .setDimParam("batch"))
                                .addDim(
                                    OnnxMl.TensorShapeProto.Dimension.newBuilder()
                                        .setDimValue(cols)))))
        .build();
  }

  private static OnnxMl.AttributeProto.Builder ints(String name) {
    return OnnxMl.AttributeProto.newBuilder()
        .setName(name)
        .setType(OnnxMl.AttributeProto.AttributeType.INTS);
  }

  private static OnnxMl.AttributeProto.Builder floats(String name) {
    return OnnxMl.AttributeProto.newBuilder()
        .setName(name)
        .setType(OnnxMl.AttributeProto.AttributeType.FLOATS);
  }

  private static OnnxMl.AttributeProto.Builder strings(String name) {
    return OnnxMl.AttributeProto.newBuilder()
        .setName(name)
        .setType(OnnxMl.AttributeProto.AttributeType.STRINGS);
  }

  private static OnnxMl.AttributeProto.Builder string(String name, String value) {
    return OnnxMl.AttributeProto.newBuilder()
        .setName(name)
        .setType(OnnxMl.AttributeProto.AttributeType.STRING)
        .setS(com.google.protobuf.ByteString.copyFromUtf8(value));
  }
}
