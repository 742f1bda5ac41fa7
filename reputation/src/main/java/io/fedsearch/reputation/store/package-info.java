/** Durable storage of the reputation inputs and last scores in the node directory ({@code reputation.db}). */
package io.fedsearch.reputation.store;
