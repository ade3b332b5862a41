/** Real container runtimes (containerd's ctr, podman) pulling images through dfdaemon as a registry mirror. */
package io.damselfly.dfdaemon.runtimes;
