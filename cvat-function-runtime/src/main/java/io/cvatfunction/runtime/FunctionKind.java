package io.cvatfunction.runtime;

/** The CVAT function types ({@code metadata.annotations.type} in the function YAML). */
public enum FunctionKind {
  /** Finds objects in a frame: {@code {"image", "threshold"}} in, a list of shapes out. */
  DETECTOR("detector"),
  /** Segments one object from user clicks. */
  INTERACTOR("interactor"),
  /** Follows shapes from frame to frame. */
  TRACKER("tracker"),
  /** Matches objects between two frames. */
  REID("reid");

  private final String cvatName;

  FunctionKind(String cvatName) {
    this.cvatName = cvatName;
  }

  /** The value CVAT expects in {@code metadata.annotations.type}. */
  public String cvatName() {
    return cvatName;
  }
}
