package dev.imet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One reusable native buffer that batches are copied into before they reach the engine. Creating an array from
 * a Java {@code float[]} would allocate a fresh direct buffer per batch (20 MB at 16 x 320 px), freed only when
 * the garbage collector happens to run, so resident memory would climb between collections.
 *
 * <p>The engine's array shares this buffer's memory: an array made here must be closed (its step's manager
 * closed) before the next {@link #upload}.
 */
public final class InputBuffer {
    private ByteBuffer buffer = ByteBuffer.allocateDirect(0);

    public NDArray upload(NDManager manager, float[] values, Shape shape) {
        int bytes = values.length * Float.BYTES;
        if (buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        buffer.clear();
        buffer.asFloatBuffer().put(values);
        ByteBuffer view = buffer.duplicate().order(ByteOrder.nativeOrder());
        view.limit(bytes);
        return manager.create(view.slice().order(ByteOrder.nativeOrder()), shape, DataType.FLOAT32);
    }
}
