// expect: gocxx::case_send: the value does not convert implicitly to the channel's element type
// ch.send(0L) of a long variable is rejected; case_send used to build Obj*(0L).
#include <gocxx/select.hpp>

struct Obj {};

void offer(gocxx::Channel<Obj*> ch) {
    gocxx::select(gocxx::case_send(ch, 0L), gocxx::case_default());
}
