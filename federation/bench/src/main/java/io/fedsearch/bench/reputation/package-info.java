/** {@code fedsearch bench reputation}: the attack table and the full-recompute time and memory. */
package io.fedsearch.bench.reputation;
