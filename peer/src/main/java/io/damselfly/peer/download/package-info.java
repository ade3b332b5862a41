/** One download from request to verified output: the job, what a node's downloads share, and their failure and progress. */
package io.damselfly.peer.download;
