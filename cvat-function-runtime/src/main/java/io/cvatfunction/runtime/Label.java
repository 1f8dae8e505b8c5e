package io.cvatfunction.runtime;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Changes how one model label reaches CVAT: its name, whether it is kept, and its CVAT attributes. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface Label {

  /** The label's name in the model's metadata ({@code names} in Ultralytics' {@code config.txt}). */
  String model();

  /** The name CVAT sees; the model's name when empty. */
  String name() default "";

  /** Leaves the label out: the function neither declares nor returns it. */
  boolean drop() default false;

  /** CVAT attributes of the label; a handler fills their values per shape. */
  Attribute[] attributes() default {};
}
