package dev.junction.bus;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.function.Function;

/**
 * The form of a record (or of a value written like one): its fields in declaration order, each in
 * its own form. Fields are only ever appended, so a reader fills the fields a sender did not know
 * with their absent value and skips those it does not know itself.
 */
final class ShapeForm<T> implements WireForm<T> {
  /** One field: its name (for errors), its form and how to read it from the value. */
  record Field<T>(String name, WireForm<Object> form, Function<T, Object> get) {
  }

  private final String name;
  private final List<Field<T>> fields;
  private final Function<Object[], T> make;

  /** {@code make} receives the fields' values in order. */
  ShapeForm(String name, List<Field<T>> fields, Function<Object[], T> make) {
    if (fields.size() > 255) {
      throw new IllegalArgumentException(name + " has more than 255 fields");
    }
    this.name = name;
    this.fields = List.copyOf(fields);
    this.make = make;
  }

  @Override
  public void write(Buffer out, T value) {
    if (value == null) {
      out.appendByte(NULL);
      return;
    }
    out.appendByte(SHAPE).appendUnsignedByte((short) fields.size());
    for (Field<T> f : fields) {
      f.form().write(out, f.get().apply(value));
    }
  }

  @Override
  public T read(byte tag, WireReader in) {
    if (tag == NULL) {
      return null;
    }
    WireReader.expect(tag, SHAPE, name);
    int sent = in.readUnsignedByte();
    Object[] values = new Object[fields.size()];
    for (int i = 0; i < values.length; i++) {
      WireForm<Object> form = fields.get(i).form();
      values[i] = i < sent ? form.read(in.tag(), in) : form.absent();
    }
    for (int i = values.length; i < sent; i++) {
      in.skip();
    }
    return make.apply(values);
  }
}
