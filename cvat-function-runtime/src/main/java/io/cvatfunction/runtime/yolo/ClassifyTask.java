package io.cvatfunction.runtime.yolo;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.cvatfunction.contract.ModelMetadata;
import io.cvatfunction.runtime.cvat.Shape;
import io.cvatfunction.runtime.cvat.ShapeAttribute;
import io.cvatfunction.runtime.image.ClassifierInput;
import io.cvatfunction.runtime.image.FrameDecoder;
import io.cvatfunction.runtime.image.FrameInput;
import io.cvatfunction.runtime.image.ModelInput;
import java.util.List;

/**
 * Ultralytics' {@code classify} task: the frame resized and centre-cropped to the model's input ({@link
 * ClassifierInput}), the exported model's softmax probabilities, and the most probable class as a CVAT tag when its
 * probability is at least the threshold — as CVAT's own YOLO function answers, with 0 when the request sends none:
 * one tag a frame.
 */
final class ClassifyTask implements TaskDecoder<Detection.Classification> {

  private final List<String> names;

  ClassifyTask(List<String> names) {
    this.names = names;
  }

  @Override
  public FrameInput frameInput(FrameDecoder frames, ModelMetadata metadata, String decoder, NDManager manager) {
    return new ClassifierInput(frames, metadata.inputHeight());
  }

  @Override
  public List<Detection.Classification> decode(NDList outputs, ModelInput input, float threshold) {
    float[] probabilities = outputs.get(0).toFloatArray();
    if (probabilities.length != names.size()) {
      throw new IllegalStateException("the classify model gives " + probabilities.length + " values, but names "
          + names.size() + " classes");
    }
    int best = 0;
    for (int c = 1; c < probabilities.length; c++) {
      if (probabilities[c] > probabilities[best]) {
        best = c;
      }
    }
    return probabilities[best] >= threshold
        ? List.of(new Detection.Classification(best, names.get(best), probabilities[best]))
        : List.of();
  }

  @Override
  public Shape shape(Detection.Classification classification, String label, List<ShapeAttribute> attributes) {
    return Shape.tag(label, classification.score(), attributes);
  }

  @Override
  public float defaultThreshold() {
    return 0f;
  }
}
