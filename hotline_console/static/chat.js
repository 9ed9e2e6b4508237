// Web chat client: one session id per browser, kept in localStorage.
(function () {
  "use strict";
  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const input = document.getElementById("text");
  let sessionId = localStorage.getItem("webchat_session");
  if (!sessionId || !/^[A-Za-z0-9_-]{8,64}$/.test(sessionId)) {
    sessionId = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2)).replace(/[^A-Za-z0-9_-]/g, "");
    localStorage.setItem("webchat_session", sessionId);
  }

  let lastId = 0;
  const shown = new Set();

  function show(messages) {
    messages.forEach(function (m) {
      if (shown.has(m.id)) return;
      shown.add(m.id);
      lastId = Math.max(lastId, m.id);
      add("bot", m.text, m.buttons, m.phone_buttons);
    });
  }

  function add(kind, text, buttons, phones) {
    const li = document.createElement("li");
    li.className = kind;
    li.textContent = text;
    if (buttons && buttons.length) {
      const row = document.createElement("div");
      row.className = "buttons";
      buttons.forEach(function (b) {
        const btn = document.createElement("button");
        btn.type = "button";
        btn.textContent = b.title;
        btn.addEventListener("click", function () { send(b.payload, b.title); });
        row.appendChild(btn);
      });
      li.appendChild(row);
    }
    if (phones && phones.length) {
      const row = document.createElement("div");
      row.className = "buttons";
      phones.forEach(function (p) {
        const link = document.createElement("a");
        link.href = "tel:" + p.phone;
        link.textContent = p.title;
        link.className = "call";
        row.appendChild(link);
      });
      li.appendChild(row);
    }
    log.appendChild(li);
    li.scrollIntoView({ block: "end" });
  }

  async function send(text, shown) {
    add("user", shown || text);
    try {
      const resp = await fetch("/api/v1/webchat/messages", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ session_id: sessionId, text: text }),
      });
      const data = await resp.json();
      if (!resp.ok) { add("bot", "Tin nhắn không gửi được. Nếu cần giúp ngay, hãy gọi 111."); return; }
      show(data.messages);
    } catch (e) {
      add("bot", "Mất kết nối. Nếu cần giúp ngay, hãy gọi 111 (miễn phí, 24/7).");
    }
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });
  // Replies from a hotline operator arrive between our own messages: poll for them.
  setInterval(async function () {
    try {
      const resp = await fetch("/api/v1/webchat/messages?session_id=" + encodeURIComponent(sessionId) + "&after=" + lastId);
      if (resp.ok) show((await resp.json()).messages);
    } catch (e) { /* offline: the next poll retries */ }
  }, 5000);

  send("xin chào", "Xin chào");
})();
