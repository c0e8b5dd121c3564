/* msg.h -- one-line messages to the caller's callback ("FILE:LINE: what"). */
#ifndef TMS_MSG_H
#define TMS_MSG_H
#include "../tamis_int.h"

typedef struct tms_msgs {
    tamis_msg_fn fn;  /* NULL: messages are dropped */
    void *ctx;
} tms_msgs;

enum { TMS_MSG_ERROR = 0, TMS_MSG_WARNING = 1, TMS_MSG_NOTE = 2 };

void tms_msg(const tms_msgs *m, int level, const char *fmt, ...) TMS_PRINTF(3, 4);
#endif
