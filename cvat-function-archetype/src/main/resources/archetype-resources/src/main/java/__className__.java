package ${package};

import io.cvatfunction.runtime.CvatFunction;
import io.cvatfunction.runtime.yolo.YoloDetector;

#set($javaDescription = $description.replace('\', '\\').replace('"', '\"'))
/**
 * The CVAT detector {@code ${functionName}}: answers CVAT's auto-annotation requests as Ultralytics' {@code predict}
 * would, with the YOLO model {@code src/main/resources/models/best.torchscript}. Its labels come from the model.
 *
 * <p>To rename or leave out model labels, add {@code labels} to the annotation, e.g.
 * {@code labels = {@Label(model = "person", name = "pedestrian"), @Label(model = "bicycle", drop = true)}}
 * (import {@code io.cvatfunction.runtime.Label}). {@code gpus = 0} makes it a CPU-only function.
 */
@CvatFunction(
    name = "${functionName}",
    description = "${javaDescription}",
    model = "classpath:models/best.torchscript")
public class ${className} extends YoloDetector {}
