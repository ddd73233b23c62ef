/** Health: per-upstream state and readiness, owned by the single health verticle's context. */
package dev.junction.health;
