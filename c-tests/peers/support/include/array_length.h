/* array_length(a): the number of elements of an array (not a pointer). */
#ifndef PEER_ARRAY_LENGTH_H
#define PEER_ARRAY_LENGTH_H
#define array_length(a)                                                      \
    (sizeof(a) / sizeof((a)[0]) +                                            \
     0 * sizeof(char[1 - 2 * __builtin_types_compatible_p(__typeof__(a),     \
                                                          __typeof__(&(a)[0]))]))
#endif
