package dev.junction.ingress;

import dev.junction.oauth.KeySet;

/** The inbound issuer's current signature keys, published by the OAuth verticle (immutable, shared). */
public record InboundKeys(KeySet keys) {
}
