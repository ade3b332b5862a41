/** The CDN: fetches each origin file once, stores it as digested pieces, revalidates it. */
package io.damselfly.supernode.cdn;
