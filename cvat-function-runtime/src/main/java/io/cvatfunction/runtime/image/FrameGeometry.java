package io.cvatfunction.runtime.image;

/**
 * How a frame became a model's input, which is what maps the model's coordinates back to the frame: a {@link
 * LetterBox} (detect, segment, pose, obb) or a classifier's {@link CenterCrop}.
 */
public sealed interface FrameGeometry permits LetterBox, CenterCrop {

  /** The frame's width in pixels. */
  int srcWidth();

  /** The frame's height in pixels. */
  int srcHeight();
}
