"""Produce-to-publish latency of `resonance run` at a steady event rate (run by scripts/bench-latency).

`resonance produce --rate R --live` sends contract-v1 reactions (200,000 users, targets drawn
from a power law) at a fixed rate, each with `time` = the wall clock when it is sent (epoch ms).
A subscriber reads the scores topic as any service would. A score change carries the event time
of the newest event its partition had applied when it was published (`time`), so `arrival wall
clock - time` is how old the newest event reflected in that change was when the change reached
the subscriber: the produce-to-publish latency, broker hops included. Changes held back by the
per-user interval (publish.interval_seconds) carry the event time of the moment they are finally
published: the interval bounds how often one user's score is sent, not how fresh what is sent is.

Percentiles are over the changes that arrived during the measurement window (after a warm-up).
"""

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from confluent_kafka import Consumer
from confluent_kafka.admin import AdminClient, NewTopic


def now_ms():
    return time.time_ns() // 1_000_000


def cpu_seconds(pid):
    """User + system CPU time of a process so far (Linux /proc)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    rank = max(0, min(len(sorted_values) - 1, int(q * len(sorted_values) + 0.999999) - 1))
    return sorted_values[rank]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--brokers", required=True)
    parser.add_argument("--bin", required=True, help="the resonance executable")
    parser.add_argument("--config", required=True, help="configuration file for the scorer (local group timeouts)")
    parser.add_argument("--rate", type=int, default=50_000, help="events per second")
    parser.add_argument("--seconds", type=float, default=30, help="measurement window")
    parser.add_argument("--warmup", type=float, default=5, help="seconds produced before measuring")
    parser.add_argument("--users", type=int, default=200_000)
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--broker-pid", type=int, help="the broker's process, to report its CPU use")
    args = parser.parse_args()

    stamp = f"{int(time.time())}-{os.getpid()}"
    topic, scores = f"latency-{stamp}", f"latency-{stamp}-scores"
    admin = AdminClient({"bootstrap.servers": args.brokers})
    for future in admin.create_topics([NewTopic(topic, args.partitions, 1)]).values():
        future.result()

    work = tempfile.mkdtemp(prefix="resonance-latency-")
    log_path = os.path.join(work, "scorer.log")
    scorer = subprocess.Popen(
        [args.bin, "run", "--brokers", args.brokers, "--input-topic", topic, "--output-topic", scores,
         "--group", f"latency-{stamp}", "--state-dir", os.path.join(work, "state"), "--config", args.config,
         "--http-port", "0", "--log-level", "info"],
        stdout=open(log_path, "w"), stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        while "[ResonanceEngine] assigned" not in open(log_path).read():
            if scorer.poll() is not None or time.time() > deadline:
                sys.exit(f"the scorer did not join its group:\n{open(log_path).read()}")
            time.sleep(0.2)

        arrivals = []  # (arrival ms, latency ms)
        lock = threading.Lock()
        stop = threading.Event()

        def subscribe():
            consumer = Consumer({
                "bootstrap.servers": args.brokers, "group.id": f"latency-reader-{stamp}",
                "auto.offset.reset": "earliest", "enable.auto.commit": False,
                "fetch.wait.max.ms": 10, "session.timeout.ms": 6000, "heartbeat.interval.ms": 500,
            })
            consumer.subscribe([scores])
            while not stop.is_set():
                # A short wait: arrival is stamped when consume returns, so waiting up to 50 ms
                # for a full batch (as this probe did before) added up to 50 ms to each figure.
                for message in consumer.consume(10_000, 0.005):
                    if message.error() or message.value() is None:
                        continue
                    arrival = now_ms()
                    # Only `time` is needed; a full json.loads of every change would cost this
                    # 2-core machine the CPU the scorer needs.
                    value = message.value()
                    start = value.index(b'"time":') + 7
                    end = start
                    while value[end] in b"0123456789-":
                        end += 1
                    with lock:
                        arrivals.append((arrival, arrival - int(value[start:end])))
            consumer.close()

        reader = threading.Thread(target=subscribe, daemon=True)
        reader.start()
        time.sleep(3)  # the reader joins its group

        # The load comes from `resonance produce --rate --live` (each event stamped with the wall
        # clock when it is sent), not from this script. It batches for up to 20 ms (linger.ms),
        # as a collector would at this rate; the wait counts in the latency, since events are
        # stamped before it. With 2 ms batches, the broker spent 90% of a core on the requests and
        # the producer 34%, the machine was saturated, and p99 was 1.1-1.2 s; with 20 ms, 50-55%
        # and 13-15%, and p99 183-271 ms (same session, interleaved).
        rng = random.Random(7)
        total = args.warmup + args.seconds + 2  # the producer runs a little past the window
        events_path = os.path.join(work, "events.jsonl")
        with open(events_path, "w") as events:
            for sequence in range(int(args.rate * total)):
                target = f"u{int(args.users * rng.random() ** 3)}"
                actor = f"u{rng.randrange(args.users)}"
                events.write(f'{{"v":1,"id":"e{sequence}","kind":"reaction","network":"twitter","time":0,'
                             f'"action":"reshare","actor":"{actor}","target":"{target}"}}\n')
        producer = subprocess.Popen(
            [args.bin, "produce", "--brokers", args.brokers, "--topic", topic, "--live", "--rate", str(args.rate),
             "--keep-order", "--property", "linger.ms=20", events_path],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "produce.log"), "w"))

        # The window starts `warmup` seconds after the first change arrives (the producer reads
        # and checks its file before it sends anything).
        deadline = time.time() + 120
        while True:
            with lock:
                if arrivals:
                    first = arrivals[0][0]
                    break
            if producer.poll() is not None or time.time() > deadline:
                sys.exit(f"no score change arrived; producer log:\n{open(os.path.join(work, 'produce.log')).read()}")
            time.sleep(0.01)
        measure_from = first + int(args.warmup * 1000)
        measure_to = measure_from + int(args.seconds * 1000)
        time.sleep(max(0, (measure_from - now_ms()) / 1000))
        cpu_at_start = (time.time(), cpu_seconds(scorer.pid), cpu_seconds(args.broker_pid or 0),
                        cpu_seconds(producer.pid), time.process_time())
        time.sleep(max(0, (measure_to - now_ms()) / 1000))
        cpu_at_end = (time.time(), cpu_seconds(scorer.pid), cpu_seconds(args.broker_pid or 0),
                      cpu_seconds(producer.pid), time.process_time())
        producer.wait(120)
        produce_summary = open(os.path.join(work, "produce.log")).read().strip()
        time.sleep(3)
        stop.set()
        reader.join(10)

        with lock:
            window = sorted(latency for arrival, latency in arrivals if measure_from <= arrival <= measure_to)
        print(f"{produce_summary} (target {args.rate:,} events/s); "
              f"{len(window):,} score changes arrived in the {args.seconds:.0f} s window")
        if window:
            print("produce-to-publish latency (arrival - event time of the newest event applied), ms: "
                  f"p50 {percentile(window, 0.5):.0f}, p90 {percentile(window, 0.9):.0f}, "
                  f"p99 {percentile(window, 0.99):.0f}, max {window[-1]:.0f}")
        if cpu_at_start:
            wall = cpu_at_end[0] - cpu_at_start[0]
            shares = [f"{name} {100 * (end - begin) / wall:.0f}%" for name, begin, end in
                      zip(["scorer", "broker", "producer", "this probe"], cpu_at_start[1:], cpu_at_end[1:])]
            print(f"CPU in the window (100% = one core of {os.cpu_count()}): {', '.join(shares)}")
    finally:
        scorer.send_signal(signal.SIGTERM)
        try:
            scorer.wait(60)
        except subprocess.TimeoutExpired:
            scorer.kill()
        for line in open(log_path).read().splitlines()[-3:]:
            print(f"scorer: {line}")
        # The scorer's state and the generated events take hundreds of MB a run.
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
