/** dfget: command line, validation and configuration of a download handed to the host's peer node. */
package io.damselfly.cli;
