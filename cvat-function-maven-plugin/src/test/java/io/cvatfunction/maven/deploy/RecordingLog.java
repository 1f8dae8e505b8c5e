package io.cvatfunction.maven.deploy;

import java.util.ArrayList;
import java.util.List;

/** A {@link DeployLog} that keeps what it is told, for assertions. */
public final class RecordingLog implements DeployLog {

  final List<String> infos = new ArrayList<>();
  final List<String> warnings = new ArrayList<>();

  @Override
  public void info(String message) {
    infos.add(message);
  }

  @Override
  public void warn(String message) {
    warnings.add(message);
  }

  /** The progress lines, in order. */
  public List<String> infos() {
    return infos;
  }

  /** The warnings, in order. */
  public List<String> warnings() {
    return warnings;
  }

  /** Everything, in order of kind: infos then warnings. */
  List<String> all() {
    List<String> all = new ArrayList<>(infos);
    all.addAll(warnings);
    return all;
  }
}
