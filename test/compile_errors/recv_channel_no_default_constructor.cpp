// expect: gocxx::Channel<T>::recv() needs std::default_initializable<T>
// Through a RecvChannel (<-chan T) as well.
#include <gocxx/chan.hpp>

struct Point {
    explicit Point(int x) : x(x) {}
    int x;
};

int first(gocxx::RecvChannel<Point> ch) { return ch.recv().x; }
