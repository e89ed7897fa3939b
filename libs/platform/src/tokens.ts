/** Injection tokens for platform objects that are not classes of our own. */
export const CONFIG = Symbol('CONFIG');
export const LOGGER = Symbol('LOGGER');
