/** Domain values shared by every Damselfly deployable: digests, ids, piece layout, sizes and rates. */
package io.damselfly.common;
