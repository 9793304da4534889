package dev.tributary.engine.store;

import dev.tributary.functions.Activation;
import java.util.List;

/** One page of activations; {@code cursor} continues after the last one, null when there are no more. */
public record ActivationPage(List<Activation> activations, String cursor) {
}
