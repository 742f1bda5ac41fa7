/** Inputs of the reputation model (releases, CID → creator, platform payments), its configuration and limits. */
package io.fedsearch.reputation.model;
