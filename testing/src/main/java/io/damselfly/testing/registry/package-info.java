/** Real container-registry parts for tests: a registry process, a counting front, OCI images, skopeo. */
package io.damselfly.testing.registry;
