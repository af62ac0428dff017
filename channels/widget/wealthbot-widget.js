/*
 * wealthbot chat widget: plain JavaScript, no build step, no dependencies.
 *
 * Embed with one tag:
 *   <script src="https://bots.example.com/widget/wealthbot-widget.js" data-bot="service"></script>
 * Options (data-* on the tag, or keys of WealthbotWidget.mount({...})):
 *   data-bot          which robot (service, advisory, breakpoint, outbound)
 *   data-server       the wealthbot server (default: where this script came from)
 *   data-container    CSS selector: render inline there instead of a floating button
 *   data-title        the header text
 *   data-session-id   the app's conversation id for this customer (lets the server push to it)
 *   data-customer-id  the logged-in customer, sent as message metadata (the app's server should
 *                     vouch for it in production, e.g. behind the security middleware)
 *   data-auto="false" do not mount; call WealthbotWidget.mount({bot, container}) instead
 *
 * Protocol: channels/websocket.py. Safety: bot data is only ever set with textContent or
 * checked URLs, never innerHTML.
 */
(function () {
  "use strict";

  const script = document.currentScript;
  const ROBOT_TITLES = {
    service: "客服机器人",
    advisory: "理财机器人",
    breakpoint: "断点机器人",
    outbound: "外呼机器人",
  };
  const RISK_NOTICE = "【风险提示】理财非存款，产品有风险，投资需谨慎；过往业绩不代表未来表现。";
  const RISK_LEVELS = { 1: "R1 低风险", 2: "R2 中低风险", 3: "R3 中风险", 4: "R4 中高风险", 5: "R5 高风险" };
  const HISTORY_LIMIT = 200;
  const BACKOFF_BASE_MS = 500;
  const BACKOFF_MAX_MS = 30000;
  const SILENCE_MS = 50000; // the server pings every 20 s: this much silence means a dead link
  const IMAGE_DATA = /^data:image\/(png|jpe?g|gif|webp|svg\+xml);/i;
  const instances = [];
  let counter = 0;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeUrl(value, base) {
    if (typeof value !== "string" || !value) return null;
    if (IMAGE_DATA.test(value)) return value;
    try {
      const url = new URL(value, base);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function newId(prefix) {
    return prefix + "-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10);
  }

  function readStore(key) {
    try {
      return JSON.parse(window.localStorage.getItem(key) || "null");
    } catch (error) {
      return null;
    }
  }

  function writeStore(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch (error) {
      /* private mode or full: the chat still works, only without restore */
    }
  }

  class Widget {
    constructor(options) {
      this.bot = options.bot || "service";
      this.server = (options.server || defaultServer()).replace(/\/+$/, "");
      this.title = options.title || ROBOT_TITLES[this.bot] || "在线客服";
      this.customerId = options.customerId || null;
      this.key = "wealthbot:" + this.server + ":" + this.bot;
      this.socket = null;
      this.ready = false;
      this.attempts = 0;
      this.reconnectTimer = null;
      this.stopped = false;
      this.state = this.loadState(options.sessionId || null);
      this.build(options.container || null);
      this.restore();
      this.connect();
      window.addEventListener("online", () => this.reconnectNow());
      this.watchdog = window.setInterval(() => this.checkAlive(), 10000);
    }

    loadState(sessionId) {
      const saved = readStore(this.key);
      const fresh = { sessionId: sessionId, lastSeq: 0, history: [], pending: [], handoff: false };
      if (!saved || typeof saved !== "object") return fresh;
      if (sessionId && saved.sessionId !== sessionId) return fresh;
      return Object.assign(fresh, saved);
    }

    save() {
      if (this.state.history.length > HISTORY_LIMIT) {
        this.state.history = this.state.history.slice(-HISTORY_LIMIT);
      }
      writeStore(this.key, this.state);
    }

    wsUrl() {
      const url = new URL("/ws/" + encodeURIComponent(this.bot), this.server);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      return url.href;
    }

    /* ---------- DOM ---------- */

    build(container) {
      counter += 1;
      const panelId = "wb-panel-" + counter;
      this.inline = Boolean(container);
      this.root = el("div", "wb-widget " + (this.inline ? "wb-inline" : "wb-floating"));
      this.root.dataset.bot = this.bot;
      this.root.setAttribute("lang", "zh-CN");
      this.panel = el("section", "wb-panel");
      this.panel.id = panelId;
      this.panel.setAttribute("aria-label", this.title + "聊天窗口");
      if (!this.inline) {
        this.launcher = el("button", "wb-launcher", "在线咨询");
        this.launcher.type = "button";
        this.launcher.setAttribute("aria-label", "打开" + this.title + "聊天窗口");
        this.launcher.setAttribute("aria-controls", panelId);
        this.launcher.setAttribute("aria-expanded", "false");
        this.launcher.addEventListener("click", () => this.toggle(true));
        this.panel.hidden = true;
        this.root.appendChild(this.launcher);
      }
      this.panel.appendChild(this.buildHeader());
      this.handoffBanner = el("div", "wb-handoff", "已为您转接人工客服，请稍候…");
      this.handoffBanner.setAttribute("role", "status");
      this.handoffBanner.hidden = true;
      this.panel.appendChild(this.handoffBanner);
      this.log = el("div", "wb-log");
      this.log.setAttribute("role", "log");
      this.log.setAttribute("aria-live", "polite");
      this.log.setAttribute("aria-relevant", "additions");
      this.log.setAttribute("aria-label", "聊天记录");
      this.log.tabIndex = 0;
      this.panel.appendChild(this.log);
      this.typing = el("div", "wb-typing");
      this.typing.setAttribute("aria-live", "polite");
      this.typing.appendChild(el("span", "wb-sr-only", "对方正在输入"));
      for (let i = 0; i < 3; i += 1) this.typing.appendChild(el("span", "wb-dot")).setAttribute("aria-hidden", "true");
      this.typing.hidden = true;
      this.panel.appendChild(this.typing);
      this.panel.appendChild(this.buildForm());
      this.panel.addEventListener("keydown", (event) => {
        if (event.key === "Escape" && !this.inline) this.toggle(false);
      });
      this.root.appendChild(this.panel);
      (container || document.body).appendChild(this.root);
    }

    buildHeader() {
      const header = el("header", "wb-header");
      header.appendChild(el("h2", "wb-title", this.title));
      this.status = el("span", "wb-status", "连接中…");
      this.status.setAttribute("role", "status");
      header.appendChild(this.status);
      if (!this.inline) {
        const close = el("button", "wb-close", "×");
        close.type = "button";
        close.setAttribute("aria-label", "关闭聊天窗口");
        close.addEventListener("click", () => this.toggle(false));
        header.appendChild(close);
      }
      return header;
    }

    buildForm() {
      const form = el("form", "wb-form");
      form.setAttribute("aria-label", "发送消息");
      this.input = el("input", "wb-input");
      this.input.type = "text";
      this.input.maxLength = 500;
      this.input.placeholder = "请输入您的问题，按回车发送";
      this.input.setAttribute("aria-label", "输入消息");
      this.input.setAttribute("enterkeyhint", "send");
      this.input.autocomplete = "off";
      const send = el("button", "wb-send", "发送");
      send.type = "submit";
      send.setAttribute("aria-label", "发送消息");
      form.appendChild(this.input);
      form.appendChild(send);
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const text = this.input.value.trim();
        if (!text) return;
        this.input.value = "";
        this.send(text);
      });
      return form;
    }

    toggle(open) {
      if (this.inline) return;
      this.panel.hidden = !open;
      this.launcher.setAttribute("aria-expanded", String(open));
      this.launcher.classList.remove("wb-unread");
      if (open) this.input.focus();
      else this.launcher.focus();
    }

    append(node) {
      this.log.appendChild(node);
      this.log.scrollTop = this.log.scrollHeight;
      if (!this.inline && this.panel.hidden) this.launcher.classList.add("wb-unread");
    }

    renderUser(text, messageId, pending) {
      this.log.querySelectorAll(".wb-buttons button").forEach((button) => {
        button.disabled = true;
      });
      const bubble = el("div", "wb-msg wb-user" + (pending ? " wb-pending" : ""));
      bubble.dataset.messageId = messageId;
      bubble.appendChild(el("span", "wb-sr-only", "我说："));
      bubble.appendChild(el("p", "wb-text", text));
      this.append(bubble);
    }

    renderBot(frame) {
      const bubble = el("div", "wb-msg wb-bot");
      bubble.dataset.seq = String(frame.seq);
      bubble.dataset.id = String(frame.id || "");
      bubble.appendChild(el("span", "wb-sr-only", this.title + "说："));
      if (typeof frame.text === "string" && frame.text) bubble.appendChild(el("p", "wb-text", frame.text));
      const image = safeUrl(frame.image, this.server);
      if (image) {
        const img = el("img", "wb-image");
        img.src = image;
        img.alt = "图片消息";
        img.loading = "lazy";
        bubble.appendChild(img);
      }
      const custom = frame.custom;
      if (custom && typeof custom === "object") {
        if (custom.type === "product_card") bubble.appendChild(this.renderCard(custom));
        else if (typeof custom.text === "string") bubble.appendChild(el("p", "wb-text", custom.text));
      }
      if (Array.isArray(frame.buttons) && frame.buttons.length) {
        bubble.appendChild(this.renderButtons(frame.buttons));
      }
      if (frame.handoff) bubble.classList.add("wb-handoff-message");
      this.append(bubble);
    }

    renderCard(card) {
      const node = el("article", "wb-card");
      const title = String(card.title || card.name || "理财产品");
      node.setAttribute("aria-label", "产品卡片：" + title);
      node.appendChild(el("h3", "wb-card-title", title));
      const meta = [];
      if (card.code) meta.push(String(card.code));
      const level = String(card.risk_level || "").replace(/^R/i, ""); // 2 or "R2"
      if (RISK_LEVELS[level]) meta.push(RISK_LEVELS[level]);
      if (meta.length) node.appendChild(el("p", "wb-card-meta", meta.join(" · ")));
      if (card.description) node.appendChild(el("p", "wb-card-text", card.description));
      if (Array.isArray(card.fields) && card.fields.length) {
        const list = el("dl", "wb-card-fields");
        card.fields.forEach((field) => {
          if (!field || typeof field !== "object") return;
          list.appendChild(el("dt", "", field.label));
          list.appendChild(el("dd", "", field.value));
        });
        node.appendChild(list);
      }
      if (Array.isArray(card.buttons) && card.buttons.length) node.appendChild(this.renderButtons(card.buttons));
      const notice = el("p", "wb-risk-notice", card.risk_notice || RISK_NOTICE);
      notice.setAttribute("role", "note");
      node.appendChild(notice);
      return node;
    }

    renderButtons(buttons) {
      const group = el("div", "wb-buttons");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "可选回复");
      buttons.forEach((item) => {
        if (!item || !item.title) return;
        const button = el("button", "wb-button", item.title);
        button.type = "button";
        button.addEventListener("click", () => {
          this.send(String(item.payload || item.title), String(item.title));
        });
        group.appendChild(button);
      });
      return group;
    }

    renderSystem(text) {
      this.append(el("div", "wb-system", text));
    }

    restore() {
      this.state.history.forEach((item) => {
        if (item.k === "u") this.renderUser(item.t, item.id, this.isPending(item.id));
        else if (item.k === "b") this.renderBot(item.f);
      });
      this.setHandoff(Boolean(this.state.handoff));
    }

    setHandoff(active) {
      this.state.handoff = active;
      this.handoffBanner.hidden = !active;
      this.root.classList.toggle("wb-handoff-active", active);
    }

    setStatus(text, online) {
      this.status.textContent = text;
      this.root.classList.toggle("wb-online", Boolean(online));
    }

    /* ---------- messages ---------- */

    isPending(messageId) {
      return this.state.pending.some((item) => item.message_id === messageId);
    }

    send(text, display) {
      const messageId = newId("m");
      this.state.history.push({ k: "u", t: display || text, id: messageId });
      this.state.pending.push({ message_id: messageId, text: text });
      this.save();
      this.renderUser(display || text, messageId, true);
      if (this.ready) this.transmit({ message_id: messageId, text: text });
    }

    transmit(item) {
      const frame = { type: "user_uttered", message_id: item.message_id, text: item.text };
      if (this.customerId) frame.metadata = { customer_id: this.customerId };
      this.raw(frame);
    }

    retryLater(frame) {
      const item = this.state.pending.find((entry) => entry.message_id === frame.message_id);
      const delay = Math.max(250, Math.round(Number(frame.retry_after || 1) * 1000));
      if (item) window.setTimeout(() => this.ready && this.isPending(item.message_id) && this.transmit(item), delay);
    }

    raw(frame) {
      if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
    }

    onFrame(frame) {
      switch (frame.type) {
        case "session_confirm":
          return this.onConfirm(frame);
        case "ack":
          return this.onAck(frame);
        case "bot_uttered":
          return this.onBot(frame);
        case "typing":
          this.typing.hidden = !frame.on;
          return undefined;
        case "handoff":
          this.setHandoff(Boolean(frame.active));
          return this.save();
        case "ping":
          return this.raw({ type: "pong", ts: frame.ts });
        case "error":
          if (window.console) window.console.warn("wealthbot:", frame.code, frame.message);
          if (frame.code === "rate_limited" && frame.message_id) this.retryLater(frame);
          return undefined;
        default:
          return undefined;
      }
    }

    onConfirm(frame) {
      this.ready = true;
      this.attempts = 0;
      this.state.sessionId = frame.session_id;
      if (frame.seq_reset) this.state.lastSeq = 0;
      this.setHandoff(Boolean(frame.handoff));
      this.save();
      this.setStatus(this.state.handoff ? "人工客服" : "在线", true);
      this.state.pending.forEach((item) => this.transmit(item));
    }

    onAck(frame) {
      this.state.pending = this.state.pending.filter((item) => item.message_id !== frame.message_id);
      this.save();
      this.log.querySelectorAll(".wb-user.wb-pending").forEach((bubble) => {
        if (bubble.dataset.messageId === frame.message_id) bubble.classList.remove("wb-pending");
      });
    }

    onBot(frame) {
      if (typeof frame.seq !== "number" || frame.seq <= this.state.lastSeq) return;
      this.state.lastSeq = frame.seq;
      this.state.history.push({ k: "b", f: frame });
      if (frame.handoff) this.setHandoff(true);
      this.save();
      this.renderBot(frame);
      this.raw({ type: "ack", seq: frame.seq });
    }

    /* ---------- connection ---------- */

    connect() {
      if (this.stopped) return;
      this.reconnectTimer = null;
      this.setStatus(this.attempts ? "正在重新连接…" : "连接中…", false);
      let socket;
      try {
        socket = new WebSocket(this.wsUrl());
      } catch (error) {
        this.scheduleReconnect();
        return;
      }
      this.socket = socket;
      socket.onopen = () => {
        socket.send(
          JSON.stringify({ type: "session_request", session_id: this.state.sessionId, last_seq: this.state.lastSeq })
        );
      };
      socket.onmessage = (event) => {
        this.heardAt = Date.now();
        let frame;
        try {
          frame = JSON.parse(event.data);
        } catch (error) {
          return;
        }
        if (frame && typeof frame === "object") this.onFrame(frame);
      };
      socket.onclose = (event) => this.onClose(socket, event);
    }

    checkAlive() {
      const socket = this.socket;
      if (!socket || !this.ready || Date.now() - this.heardAt <= SILENCE_MS) return;
      socket.close(4000, "silent");
      this.onClose(socket, { code: 4000 }); // a dead link may take minutes to report its close
    }

    onClose(socket, event) {
      if (this.socket !== socket) return;
      this.socket = null;
      this.ready = false;
      this.typing.hidden = true;
      if (event.code === 4404) {
        this.stopped = true;
        this.setStatus("机器人暂不可用", false);
        return;
      }
      this.scheduleReconnect();
    }

    scheduleReconnect() {
      if (this.stopped || this.reconnectTimer) return;
      const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * Math.pow(2, this.attempts));
      const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
      this.attempts += 1;
      this.setStatus("连接中断，正在重连…", false);
      this.reconnectTimer = window.setTimeout(() => this.connect(), delay);
    }

    reconnectNow() {
      if (this.socket || this.stopped) return;
      if (this.reconnectTimer) window.clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
      this.connect();
    }

    destroy() {
      this.stopped = true;
      if (this.reconnectTimer) window.clearTimeout(this.reconnectTimer);
      window.clearInterval(this.watchdog);
      if (this.socket) this.socket.close(1000, "widget closed");
      this.root.remove();
    }
  }

  function defaultServer() {
    if (script && script.src) return new URL(script.src, window.location.href).origin;
    return window.location.origin;
  }

  function ensureStyles(server) {
    if (document.querySelector("link[data-wealthbot-css]")) return;
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = script && script.src ? script.src.replace(/\.js(\?.*)?$/, ".css") : server + "/widget/wealthbot-widget.css";
    link.setAttribute("data-wealthbot-css", "");
    document.head.appendChild(link);
  }

  function mount(options) {
    const settings = Object.assign({}, options || {});
    if (typeof settings.container === "string") settings.container = document.querySelector(settings.container);
    ensureStyles(settings.server || defaultServer());
    const widget = new Widget(settings);
    instances.push(widget);
    return widget;
  }

  window.WealthbotWidget = { mount: mount, instances: instances };

  if (script && script.dataset.auto !== "false") {
    const data = script.dataset;
    const start = () =>
      mount({
        bot: data.bot,
        server: data.server,
        container: data.container,
        title: data.title,
        sessionId: data.sessionId,
        customerId: data.customerId,
      });
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
})();
