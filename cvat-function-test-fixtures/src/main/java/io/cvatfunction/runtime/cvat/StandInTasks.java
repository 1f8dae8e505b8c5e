package io.cvatfunction.runtime.cvat;

import io.cvatfunction.runtime.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Tasks of the fixture frames on a {@link CvatStandIn}, labelled as the fixture models' functions answer. */
public final class StandInTasks {

  /** A number attribute that receives each shape's score as a whole percentage. */
  public static final CvatStandIn.AttributeDef CONFIDENCE =
      new CvatStandIn.AttributeDef("confidence", "number", List.of("0", "100", "1"));

  private StandInTasks() {}

  /** The shapes models' labels, of {@code type}, each with the confidence attribute. */
  public static List<CvatStandIn.LabelDef> shapesLabels(String type) {
    return List.of("circle", "square", "triangle").stream()
        .map(name -> new CvatStandIn.LabelDef(name, type, List.of(CONFIDENCE), List.of()))
        .toList();
  }

  /**
   * A task of the 12 {@link Fixtures#SHAPES} frames repeated {@code repeat} times: frame {@code i} is fixture frame
   * {@code i % 12}.
   */
  public static CvatStandIn.Task shapes(CvatStandIn standIn, String org, int repeat, int chunkSize,
      Set<Integer> deleted, List<CvatStandIn.LabelDef> labels) {
    List<String> names = new ArrayList<>();
    List<byte[]> frames = new ArrayList<>();
    for (int r = 0; r < repeat; r++) {
      for (String name : Fixtures.FRAMES) {
        names.add(r == 0 ? name : r + "/" + name);
        frames.add(Fixtures.frame(name));
      }
    }
    return standIn.imageTask("shapes x" + repeat, org, names, frames, chunkSize, deleted, labels);
  }

  /** The fixture frame of a task frame of {@link #shapes}. */
  public static String fixtureFrame(int taskFrame) {
    return Fixtures.FRAMES.get(taskFrame % Fixtures.FRAMES.size());
  }
}
