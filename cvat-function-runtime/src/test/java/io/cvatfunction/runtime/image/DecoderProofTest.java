package io.cvatfunction.runtime.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which of nvJPEG's decoders serve after the test frames, and when the GPU path does not serve at all. */
class DecoderProofTest {

  private static final String ENGINE = "JPEG engine";
  private static final String GPU_HUFFMAN = "GPU Huffman";
  private static final String CPU_HUFFMAN = "CPU Huffman";
  private static final float LEVEL = 1f / 255;

  private final DecoderProof proof = new DecoderProof(List.of(ENGINE, GPU_HUFFMAN, CPU_HUFFMAN));
  private final float[] cpu = values(0.5f, 1000);

  @Test
  void decodersThatGiveEveryFrameTheyTakeRightServe() throws Exception {
    proof.frame("4:2:0", true);
    proof.compare("4:2:0", ENGINE, cpu, cpu);
    proof.compare("4:2:0", GPU_HUFFMAN, cpu, cpu);
    proof.compare("4:2:0", CPU_HUFFMAN, cpu, cpu);
    proof.frame("progressive", false);
    proof.compare("progressive", CPU_HUFFMAN, cpu, cpu);
    assertEquals(List.of(ENGINE, GPU_HUFFMAN, CPU_HUFFMAN), List.copyOf(proof.proven()));
    assertEquals(List.of(), proof.unused());
    assertEquals("test frames equal to OpenCV's (test frames by decoder: JPEG engine 1, GPU Huffman 1, CPU Huffman 2)",
        proof.toString());
  }

  @Test
  void valuesOneGreyLevelOffAtOnePercentPassAndAreCounted() throws Exception {
    proof.frame("4:2:0", true);
    proof.compare("4:2:0", ENGINE, off(cpu, 10, LEVEL), cpu);
    assertEquals(Set.of(ENGINE), proof.proven());
    assertTrue(proof.toString().startsWith("test frames within one grey level of OpenCV's, 10 of 1000 values off"),
        proof.toString());
  }

  @Test
  void aDecoderWrongOnOneFrameIsNotUsedAndSaysWhy() throws Exception {
    proof.frame("4:2:0", true);
    proof.compare("4:2:0", ENGINE, cpu, cpu);
    proof.compare("4:2:0", GPU_HUFFMAN, cpu, cpu);
    proof.frame("4:4:4", true);
    proof.compare("4:4:4", ENGINE, off(cpu, 11, LEVEL), cpu); // one value more than 1%
    proof.compare("4:4:4", GPU_HUFFMAN, cpu, cpu);
    proof.frame("grey", true);
    proof.compare("grey", ENGINE, cpu, cpu); // right afterwards: still not used
    proof.compare("grey", GPU_HUFFMAN, cpu, cpu);
    assertEquals(Set.of(GPU_HUFFMAN), proof.proven());
    assertEquals(List.of(ENGINE + ": its input for the 4:4:4 test frame differs from OpenCV's in 11 of 1000 values,"
        + " by up to 1.0 grey levels", CPU_HUFFMAN + ": it took none of the test frames"), proof.unused());
    assertEquals("test frames equal to OpenCV's (test frames by decoder: GPU Huffman 3)", proof.toString());
  }

  @Test
  void twoGreyLevelsOffOrNotANumberIsWrongEvenOnce() throws Exception {
    proof.frame("4:2:0", true);
    proof.compare("4:2:0", ENGINE, off(cpu, 1, 2 * LEVEL), cpu);
    float[] nan = cpu.clone();
    nan[500] = Float.NaN;
    proof.compare("4:2:0", GPU_HUFFMAN, nan, cpu);
    proof.compare("4:2:0", CPU_HUFFMAN, cpu, cpu);
    assertEquals(Set.of(CPU_HUFFMAN), proof.proven());
    assertTrue(proof.unused().get(0).endsWith("in 1 of 1000 values, by up to 2.0 grey levels"), proof.unused().get(0));
    assertTrue(proof.unused().get(1).endsWith("in 1 of 1000 values, by up to Infinity grey levels"),
        proof.unused().get(1));
  }

  @Test
  void aBaselineFrameOnlyAWrongDecoderGaveStopsTheGpuPath() {
    proof.frame("4:2:0", true);
    proof.compare("4:2:0", ENGINE, cpu, cpu);
    proof.frame("4:2:2", true);
    proof.compare("4:2:2", ENGINE, values(0.2f, 1000), cpu);
    proof.compare("4:2:2", GPU_HUFFMAN, values(0.2f, 1000), cpu);
    GpuUnavailableException e = assertThrows(GpuUnavailableException.class, proof::proven);
    assertTrue(e.getMessage().startsWith("no nvJPEG decoder gave the CPU path's input for the baseline 4:2:0 test"
        + " frame: JPEG engine: its input for the 4:2:2 test frame differs from OpenCV's in 1000 of 1000 values, by"
        + " up to 76.5 grey levels; GPU Huffman: "), e.getMessage());
  }

  @Test
  void aBaselineFrameNoDecoderTookStopsTheGpuPathButAProgressiveOneGoesToTheCpu() throws Exception {
    proof.frame("4:2:0", true);
    proof.compare("4:2:0", ENGINE, cpu, cpu);
    proof.frame("progressive", false);
    assertEquals(Set.of(ENGINE), proof.proven());
    proof.frame("grey", true);
    GpuUnavailableException e = assertThrows(GpuUnavailableException.class, proof::proven);
    assertEquals("no nvJPEG decoder gave the CPU path's input for the baseline grey test frame (none took it)",
        e.getMessage());
  }

  private static float[] values(float value, int count) {
    float[] values = new float[count];
    Arrays.fill(values, value);
    return values;
  }

  /** {@code values} with the first {@code count} moved by {@code by}. */
  private static float[] off(float[] values, int count, float by) {
    float[] moved = values.clone();
    for (int i = 0; i < count; i++) {
      moved[i] += by;
    }
    return moved;
  }
}
