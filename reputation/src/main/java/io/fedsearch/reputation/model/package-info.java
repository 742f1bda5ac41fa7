/**
 * Inputs of the reputation model (releases per CID and per creator, CID → creator, platform payments), its
 * configuration and limits.
 */
package io.fedsearch.reputation.model;
