/** What dfget prints: the progress bar and the summary line (pure functions of progress events). */
package io.damselfly.cli.render;
