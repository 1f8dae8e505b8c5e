package io.cvatfunction.runtime.image;

import ai.djl.ndarray.NDArray;

/**
 * A JPEG frame as nvJPEG decodes it, on the GPU: the luma plane and, for colour frames, the Cb and Cr planes at
 * their subsampled size in one tensor.
 *
 * @param luma uint8 {@code [height, width]}
 * @param chroma uint8 {@code [2, chromaHeight, chromaWidth]}, Cb then Cr; {@code null} for grey frames
 * @param horizontalShift 1 where chroma is subsampled 2:1 across, else 0
 * @param verticalShift 1 where chroma is subsampled 2:1 down, else 0
 */
record JpegPlanes(NDArray luma, NDArray chroma, int horizontalShift, int verticalShift) implements AutoCloseable {

  int width() {
    return (int) luma.getShape().get(1);
  }

  int height() {
    return (int) luma.getShape().get(0);
  }

  int chromaWidth() {
    return chroma == null ? 0 : (int) chroma.getShape().get(2);
  }

  int chromaHeight() {
    return chroma == null ? 0 : (int) chroma.getShape().get(1);
  }

  @Override
  public void close() {
    luma.close();
    if (chroma != null) {
      chroma.close();
    }
  }
}
