package io.cvatfunction.runtime;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A CVAT label attribute, declared in the function's label spec. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface Attribute {

  /** The attribute's name. */
  String name();

  /** How CVAT edits it. */
  InputType inputType();

  /** The allowed values (for {@code number}: min, max and step). */
  String[] values() default {};

  /** The value a new shape gets; the first value when empty. */
  String defaultValue() default "";

  /** CVAT's attribute input types. */
  enum InputType {
    /** One of {@link #values()}, from a drop-down. */
    SELECT,
    /** One of {@link #values()}, from radio buttons. */
    RADIO,
    /** {@code true} or {@code false}. */
    CHECKBOX,
    /** An integer in [min, max] with a step, given as the three {@link #values()}. */
    NUMBER,
    /** Free text. */
    TEXT;

    /** The value CVAT expects in {@code input_type}. */
    public String cvatName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
