/** Operations tests over the whole stack: the dashboard in a real browser, metrics, deploy files, config docs. */
package io.damselfly.dfdaemon.ops;
