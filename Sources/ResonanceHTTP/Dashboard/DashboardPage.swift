/// The operator's dashboard: one self-contained page (HTML, CSS, JavaScript, inline SVG; nothing
/// fetched from elsewhere, since deployments often have no internet) that reads the JSON API of
/// the instance serving it.
///
/// It shows the pipeline's health (rate, lag per partition, dead letters by reason, paused
/// partitions, snapshot age), the leaderboard (overall, per network or per topic), a histogram of the score
/// distribution of users active within the half-life, and one user's published changes over time with the score explained term by
/// term and their topics. `?user=ID` (or the search box) picks the user, by default the
/// leaderboard's first; `?topic=NAME` ranks the leaderboard by a topic. Colours are fixed constants so that a screenshot test can
/// find the histogram bars (``histogramColor``) and the score line (``historyColor``).
public enum DashboardPage {
    /// The histogram bars' colour, `#rrggbb`; used nowhere else on the page.
    public static let histogramColor = "#3b82f6"
    /// The score-over-time line's colour, `#rrggbb`; used nowhere else on the page.
    public static let historyColor = "#f97316"

    /// The page.
    public static let html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Resonance</title>
        <style>
          body { font: 14px/1.4 system-ui, sans-serif; margin: 16px; color: #1f2937; background: #ffffff; }
          h1 { font-size: 20px; margin: 0 0 12px 0; }
          h2 { font-size: 16px; margin: 0 0 8px 0; }
          .grid { display: grid; grid-template-columns: 420px 700px; gap: 24px; }
          section { border: 1px solid #d1d5db; border-radius: 6px; padding: 12px; }
          table { border-collapse: collapse; width: 100%; }
          td, th { text-align: left; padding: 2px 6px; border-bottom: 1px solid #e5e7eb; }
          td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
          a { color: #111827; }
          #status { font-size: 12px; color: #6b7280; margin-bottom: 8px; }
          #search { margin-bottom: 12px; }
          .note { font-size: 12px; color: #6b7280; }
          .error { color: #b91c1c; }
        </style>
        </head>
        <body>
        <h1>Resonance</h1>
        <div id="status">loading…</div>
        <form id="search"><input id="search-user" placeholder="user id" size="24"> <button type="submit">Show user</button></form>
        <div class="grid">
          <div>
          <section>
            <h2>Pipeline</h2>
            <table><tbody id="pipeline-body"></tbody></table>
          </section>
          <section style="margin-top: 16px">
            <h2>Leaderboard</h2>
            <label>Network <select id="network"><option value="">overall</option></select></label>
            <label>Topic <select id="topic"><option value="">any</option></select></label>
            <table><thead><tr><th class="num">#</th><th>user</th><th class="num">score</th></tr></thead>
            <tbody id="leaderboard-body"></tbody></table>
          </section>
          </div>
          <div>
            <section>
              <h2>Score distribution</h2>
              <div class="note" id="distribution-note"></div>
              <svg id="histogram" width="660" height="220" role="img" aria-label="score distribution"></svg>
            </section>
            <section style="margin-top: 16px">
              <h2>User <span id="user-name"></span></h2>
              <div class="note">published changes this instance has seen (the newest kept per user)</div>
              <svg id="history" width="660" height="200" role="img" aria-label="score over time"></svg>
              <table><tbody id="breakdown-body"></tbody></table>
              <h2 style="margin-top: 12px">Explained by term</h2>
              <div class="note">raw = where · (established · what + 3 · ln(1 + crowd · what / 3) + lasting + enduring + active days), docs/SCORING.md</div>
              <table><thead><tr><th>network</th><th class="num">established·what</th><th class="num">crowd</th><th class="num">lasting</th><th class="num">enduring</th><th class="num">active days</th><th class="num">raw</th></tr></thead>
              <tbody id="terms-body"></tbody></table>
              <h2 style="margin-top: 12px">Topics</h2>
              <div class="note">the user's strongest topics: the engagement their posts about each drew, docs/SCORING.md §8</div>
              <table><thead><tr><th>topic</th><th class="num">score</th><th class="num">raw</th><th class="num">posts</th><th>top engager</th></tr></thead>
              <tbody id="topics-body"></tbody></table>
            </section>
          </div>
        </div>
        <script>
        const HISTOGRAM = "\(histogramColor)", HISTORY = "\(historyColor)";
        const SVG = "http://www.w3.org/2000/svg";
        function el(name, attrs, text) {
          const node = document.createElementNS(SVG, name);
          for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
          if (text !== undefined) node.textContent = text;
          return node;
        }
        function row(cells, id) {
          const tr = document.createElement("tr");
          if (id) tr.id = id;
          for (const [text, cls] of cells) {
            const td = document.createElement("td");
            td.textContent = text;
            if (cls) td.className = cls;
            tr.appendChild(td);
          }
          return tr;
        }
        async function get(path) {
          const response = await fetch(path);
          const body = await response.json();
          if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
          return body;
        }
        let previous = null;
        async function pipeline() {
          const report = await get("/v1/pipeline");
          const body = document.getElementById("pipeline-body");
          body.replaceChildren();
          let rate = "–";
          if (previous && report.wall_clock > previous.wall_clock) {
            rate = Math.max(0, (report.messages - previous.messages) * 1000 / (report.wall_clock - previous.wall_clock)).toFixed(0);
          }
          previous = report;
          const dead = Object.entries(report.dead_lettered).filter(([, n]) => n > 0);
          const add = (name, value, id) => body.appendChild(row([[name, ""], [String(value), "num"]], id));
          add("phase", report.phase, "pipeline-phase");
          add("events/s since the last refresh", rate, "pipeline-rate");
          add("messages read", report.messages, "pipeline-messages");
          add("events applied", report.applied, null);
          add("dead-lettered", dead.reduce((sum, [, n]) => sum + n, 0), "pipeline-dead");
          for (const [reason, count] of dead) add("  " + reason, count, null);
          add("held for an epoch", report.held_messages, null);
          add("paused partitions", report.paused_partitions, "pipeline-paused");
          const age = report.snapshot_age_seconds;
          add("last snapshot", age === null || age === undefined ? "none yet" : age.toFixed(0) + " s ago", "pipeline-snapshot");
          add("shipped to the state topic", (report.shipped_bytes / 1048576).toFixed(1) + " MB", null);
          for (const p of report.partitions) {
            const lag = p.lag === null || p.lag === undefined ? "?" : p.lag;
            add("lag " + p.topic + "[" + p.partition + "]" + (p.incomplete ? " (state incomplete)" : ""), lag, "partition-lag-" + p.partition);
          }
          return report;
        }
        async function leaderboard() {
          const network = document.getElementById("network").value, topic = document.getElementById("topic").value;
          const board = await get("/v1/leaderboard?limit=20" + (topic ? "&topic=" + encodeURIComponent(topic)
            : network ? "&network=" + encodeURIComponent(network) : ""));
          const body = document.getElementById("leaderboard-body");
          body.replaceChildren();
          for (const entry of board.entries) {
            const tr = row([[String(entry.rank), "num"], ["", ""], [entry.score.toFixed(2), "num"]], "rank-" + entry.rank);
            const link = document.createElement("a");
            link.href = "?user=" + encodeURIComponent(entry.user);
            link.textContent = entry.user;
            tr.children[1].appendChild(link);
            tr.className = "leader";
            body.appendChild(tr);
          }
          return board;
        }
        async function histogram() {
          const distribution = await get("/v1/distribution?active=true");
          document.getElementById("distribution-note").textContent = distribution.users + " users active within the half-life (" + distribution.active_within_days + " days) of the newest change";
          const svg = document.getElementById("histogram");
          svg.replaceChildren();
          const width = 660, height = 220, left = 40, bottom = 24, top = 8;
          const most = Math.max(1, ...distribution.bins.map(b => b.count));
          const slot = (width - left - 8) / distribution.bins.length;
          svg.appendChild(el("line", {x1: left, y1: height - bottom, x2: width - 8, y2: height - bottom, stroke: "#9ca3af"}));
          svg.appendChild(el("text", {x: 4, y: top + 10, "font-size": 11, fill: "#6b7280"}, String(most)));
          distribution.bins.forEach((bin, index) => {
            const x = left + index * slot;
            if (index % 4 === 0) svg.appendChild(el("text", {x: x, y: height - 6, "font-size": 11, fill: "#6b7280"}, String(bin.lower)));
            if (bin.count === 0) return;
            const h = Math.max(2, (height - bottom - top) * bin.count / most);
            const bar = el("rect", {x: x + 3, y: height - bottom - h, width: slot - 6, height: h, fill: HISTOGRAM, class: "bar"});
            bar.appendChild(el("title", {}, bin.lower + "–" + bin.upper + ": " + bin.count));
            svg.appendChild(bar);
          });
          return distribution;
        }
        async function user(id) {
          document.getElementById("user-name").textContent = id;
          const path = "/v1/users/" + encodeURIComponent(id);
          const [report, history, topics] = await Promise.all([get(path), get(path + "/history"), get(path + "/topics")]);
          const svg = document.getElementById("history");
          svg.replaceChildren();
          const width = 660, height = 200, left = 40, bottom = 20, top = 8;
          svg.appendChild(el("line", {x1: left, y1: height - bottom, x2: width - 8, y2: height - bottom, stroke: "#9ca3af"}));
          for (const tick of [0, 50, 100]) {
            const y = height - bottom - (height - bottom - top) * tick / 100;
            svg.appendChild(el("text", {x: 4, y: y + 4, "font-size": 11, fill: "#6b7280"}, String(tick)));
          }
          const points = history.points;
          if (points.length > 0) {
            const first = points[0].time, last = points[points.length - 1].time, span = Math.max(1, last - first);
            const xy = points.map(p => [left + (width - left - 16) * (points.length === 1 ? 0.5 : (p.time - first) / span),
                                        height - bottom - (height - bottom - top) * p.score / 100]);
            svg.appendChild(el("polyline", {points: xy.map(p => p.join(",")).join(" "), fill: "none", stroke: HISTORY, "stroke-width": 3}));
            for (const [x, y] of xy) svg.appendChild(el("circle", {cx: x, cy: y, r: 3, fill: HISTORY}));
          }
          const body = document.getElementById("breakdown-body");
          body.replaceChildren();
          const fixed = v => (v === null || v === undefined) ? "–" : v.toFixed(2);
          body.appendChild(row([["score", ""], [fixed(report.score), "num"]], "breakdown-score"));
          body.appendChild(row([["reach", ""], [fixed(report.reach), "num"]]));
          body.appendChild(row([["amplification", ""], [fixed(report.amplification), "num"]]));
          body.appendChild(row([["impact", ""], [fixed(report.impact), "num"]]));
          for (const [network, score] of Object.entries(report.networks || {}).sort()) {
            body.appendChild(row([["on " + network, ""], [fixed(score), "num"]], "network-" + network));
          }
          const engagers = report.explanation ? report.explanation.top_engagers : [];
          for (const engager of engagers.slice(0, 5)) {
            body.appendChild(row([["engager " + engager.user, ""], [(100 * engager.share).toFixed(0) + "%", "num"]], null));
          }
          if (report.explanation_note) body.appendChild(row([[report.explanation_note, ""], ["", ""]], null));
          const terms = document.getElementById("terms-body");
          terms.replaceChildren();
          for (const n of (report.explanation ? report.explanation.networks : [])) {
            const f = v => v.toFixed(2);
            terms.appendChild(row([[n.network, ""], [f(n.established_engagement * n.what_factor), "num"], [f(n.crowd_effective), "num"],
              [f(n.lasting_engagement), "num"], [f(n.enduring_engagement), "num"], [f(n.active_days), "num"], [f(n.raw), "num"]], "term-" + n.network));
          }
          const topicRows = document.getElementById("topics-body");
          topicRows.replaceChildren();
          for (const t of topics.topics) {
            const engager = t.top_engagers.length > 0 ? t.top_engagers[0].user : "–";
            topicRows.appendChild(row([[t.topic, ""], [fixed(t.score), "num"], [fixed(t.raw), "num"], [fixed(t.posts), "num"], [engager, ""]], "topic-" + t.topic));
          }
          if (topics.topics.length === 0) topicRows.appendChild(row([["no topics: none of the user's posts with topics drew reactions", ""], ["", ""]], null));
          return points.length;
        }
        async function refresh() {
          const status = document.getElementById("status");
          try {
            const [board, distribution] = await Promise.all([leaderboard(), histogram(), pipeline(), topicOptions()]);
            const chosen = new URLSearchParams(location.search).get("user") || (board.entries[0] && board.entries[0].user);
            const points = chosen ? await user(chosen) : 0;
            status.className = "";
            const ranked = document.getElementById("topic").value ? " users with a score in the topic, " : document.getElementById("network").value ? " users with a score on the network, " : " users scored, ";
            status.textContent = board.users + ranked + distribution.users + " active; " + points + " points of history shown";
            status.dataset.rendered = "true";
          } catch (error) {
            status.className = "error";
            status.textContent = "error: " + error.message;
          }
        }
        async function networks() {
          const select = document.getElementById("network");
          for (const name of (await get("/v1/networks")).networks) {
            const option = document.createElement("option");
            option.value = name;
            option.textContent = name;
            select.appendChild(option);
          }
          // A network or a topic ranks the leaderboard, not both.
          select.addEventListener("change", () => { document.getElementById("topic").value = ""; refresh(); });
          await topicOptions();
          const wanted = new URLSearchParams(location.search).get("topic");
          if (wanted) document.getElementById("topic").value = wanted;
          document.getElementById("topic").addEventListener("change", () => { select.value = ""; refresh(); });
        }
        async function topicOptions() {
          const select = document.getElementById("topic");
          const known = new Set(Array.from(select.options).map(o => o.value));
          for (const t of (await get("/v1/topics")).topics) {
            if (known.has(t.topic)) continue;
            const option = document.createElement("option");
            option.value = t.topic;
            option.textContent = t.topic + " (" + t.users + ")";
            select.appendChild(option);
          }
        }
        document.getElementById("search").addEventListener("submit", event => {
          event.preventDefault();
          const id = document.getElementById("search-user").value.trim();
          if (id) location.search = "?user=" + encodeURIComponent(id);
        });
        networks().then(refresh);
        setInterval(refresh, 5000);
        </script>
        </body>
        </html>
        """
}
