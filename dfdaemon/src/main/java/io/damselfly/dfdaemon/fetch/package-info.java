/** Getting bytes to clients: P2P downloads read in order as pieces arrive, and upstream HTTP pass-through. */
package io.damselfly.dfdaemon.fetch;
