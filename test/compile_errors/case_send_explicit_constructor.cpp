// expect: gocxx::case_send: the value does not convert implicitly to the channel's element type
// std::vector<int>'s size constructor is explicit: ch.send(3) does not compile either.
#include <vector>

#include <gocxx/select.hpp>

void offer(gocxx::Channel<std::vector<int>> ch) {
    gocxx::select(gocxx::case_send(ch, 3), gocxx::case_default());
}
