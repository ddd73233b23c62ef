/** Upstream credentials, owned by the single OAuth verticle's context. */
package dev.junction.oauth;
