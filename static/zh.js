/* Streamlit's own words in Chinese (added once per page by pages.common.chinese_ui; runs in the app's own page).

   Streamlit draws some text of its widgets itself, in English: the file uploader (Drag and drop, Browse files,
   Limit 50MB per file), the select placeholders (Choose an option), No results, the skip link, spinners. This
   translates those exact texts, and the placeholder, aria-label and title attributes, wherever they appear and
   whenever Streamlit draws them again. Text the app writes is never touched (only whole texts in the table match).
   tests/browser/test_chinese_text.py signs in as every role and fails on any English word left on any page.
   Nothing here talks to the network. Keep this file free of the less-than sign: the app's HTML sanitiser drops
   a script that holds one. */
(function () {
  "use strict";
  if (window.__xfZh) return;
  window.__xfZh = true;

  var EXACT = {
    "Skip to main content": "跳到主要内容",
    "Choose an option": "请选择",
    "Choose options": "请选择（可多选）",
    "Select...": "请选择",
    "No results": "无匹配项",
    "No options to select.": "没有可选项",
    "Upload": "上传",
    "Browse files": "选择文件",
    "Drag and drop file here": "将文件拖放到此处",
    "Drag and drop files here": "将文件拖放到此处",
    "Drag and drop a file here": "将文件拖放到此处",
    "Clear all": "全部清除",
    "Clear value": "清除",
    "Remove": "移除",
    "Delete": "删除",
    "Running...": "运行中……",
    "Stop": "停止",
    "Close": "关闭",
    "Press Enter to apply": "按回车确认",
    "Press Enter to submit form": "按回车提交",
    "Press ⌘+Enter to apply": "按 ⌘+回车确认",
    "Press Ctrl+Enter to apply": "按 Ctrl+回车确认",
    "Press ⌘+Enter to submit form": "按 ⌘+回车提交",
    "Press Ctrl+Enter to submit form": "按 Ctrl+回车提交",
    "Show password text": "显示密码",
    "Hide password text": "隐藏密码",
    "Show password": "显示密码",
    "Hide password": "隐藏密码",
    "Increment": "增加",
    "Decrement": "减少",
    "Download as CSV": "下载为 CSV",
    "Show data": "查看数据",
    "Download as PNG": "下载为图片",
    "Download as SVG": "下载为矢量图",
    "Copy Vega-Lite spec": "复制图表定义",
    "Exit data view": "返回图表",
    "Download": "下载",
    "Failed to generate file for download": "文件未生成：登录可能已失效、账户已停用或权限已变更，请刷新页面后再试",
    "Search": "搜索",
    "Fullscreen": "全屏",
    "Close fullscreen": "退出全屏",
    "Show/hide columns": "显示或隐藏列",
    "Open sidebar": "展开侧栏",
    "Close sidebar": "收起侧栏",
    "View fullscreen": "全屏查看",
    "Exit fullscreen": "退出全屏",
    "Copy to clipboard": "复制",
    "Please wait...": "请稍候……",
    "Connecting": "正在连接",
    "Connection error": "连接中断",
    "Main menu": "主菜单",
    "Rerun": "重新运行",
    "Settings": "设置",
    "Print": "打印",
    "Clear cache": "清除缓存",
    "Error": "错误",
    "Loading...": "加载中……",
    "Today": "今天",
    "Choose date": "选择日期",
    "Previous month": "上个月",
    "Next month": "下个月",
    "Select all": "全选",
    "Open": "展开",
    "Streamlit server is not responding. Are you connected to the internet?":
      "与服务器的连接中断，正在重新连接。已填写的内容留在本机，连上后再保存。",
    "Is Streamlit still running? If you accidentally stopped Streamlit, just restart it in your terminal:":
      "服务器没有响应，请稍后重试；如果一直连不上，请联系管理员。",
    "Connection timed out.": "连接超时。",
    "Page not found": "没有这个页面",
    "The page that you have requested does not seem to exist. Running the app's main page.":
      "您要打开的页面不存在，已转到首页。"
  };
  // Texts with a number or a list in them.
  var PATTERNS = [
    [/^Limit (\d+(?:\.\d+)?) ?([KMG]B) per file(?: • (.*))?$/, function (m) {
      return "每个文件不超过 " + m[1] + m[2] + (m[3] ? " · " + m[3] : "");
    }],
    [/^(\d+(?:\.\d+)?) ?([KMG]B) per file(?: • (.*))?$/, function (m) {
      return "每个文件不超过 " + m[1] + m[2] + (m[3] ? " · " + m[3] : "");
    }],
    [/^(\d+) rows? × (\d+) columns?$/, function (m) { return m[1] + " 行 × " + m[2] + " 列"; }],
    [/^Running (.*)\.\.\.$/, function () { return "运行中……"; }],
    [/^Choose date, (.+)$/, function (m) { return "选择日期：" + m[1]; }],
    [/^Help for (.+)$/, function (m) { return m[1] + " 的说明"; }],
    [/^Select (\d+) matches$/, function (m) { return "全选 " + m[1] + " 个匹配项"; }],
    [/^You have requested page \/(.*), but no corresponding file was found in the app's pages\/ directory\. Running the app's main page\.$/,
     function () { return "您要打开的页面不存在，已转到首页。"; }]
  ];
  var ATTRS = ["placeholder", "aria-label", "title"];

  function translate(text) {
    var key = text.trim();
    if (!key || !/[A-Za-z]/.test(key)) return null;
    if (Object.prototype.hasOwnProperty.call(EXACT, key)) return text.replace(key, EXACT[key]);
    for (var i = 0; i !== PATTERNS.length; i++) {
      var m = key.match(PATTERNS[i][0]);
      if (m) return text.replace(key, PATTERNS[i][1](m));
    }
    return null;
  }

  function fixNode(node) {
    if (node.nodeType === 3) {
      var t = translate(node.nodeValue);
      if (t !== null && t !== node.nodeValue) node.nodeValue = t;
      return;
    }
    if (node.nodeType !== 1) return;
    if (node.closest && node.closest('[data-testid="stIconMaterial"], script, style')) return;
    for (var a = 0; a !== ATTRS.length; a++) {
      var v = node.getAttribute(ATTRS[a]);
      if (v) {
        var tv = translate(v);
        if (tv !== null && tv !== v) node.setAttribute(ATTRS[a], tv);
      }
    }
  }

  function fixTree(root) {
    fixNode(root);
    if (root.nodeType !== 1) return;
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) fixNode(walker.currentNode);
  }

  var observer = new MutationObserver(function (records) {
    records.forEach(function (r) {
      if (r.type === "characterData" || r.type === "attributes") fixNode(r.target);
      else r.addedNodes.forEach(fixTree);
    });
  });
  observer.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true,
                                    attributeFilter: ATTRS });
  fixTree(document.body);
  document.documentElement.setAttribute("lang", "zh-CN");

  // The date picker (react-aria) names months and weekdays in the browser's language: an office computer whose
  // browser speaks English showed January and S M T W T F S. The app speaks Chinese whatever the browser's
  // language, so the page reports zh-CN and tells the picker, which listens for languagechange.
  try {
    if (!/^zh/i.test(navigator.language || "")) {
      Object.defineProperty(navigator, "language", { get: function () { return "zh-CN"; }, configurable: true });
      Object.defineProperty(navigator, "languages", { get: function () { return ["zh-CN", "zh"]; },
                                                      configurable: true });
      window.dispatchEvent(new Event("languagechange"));
    }
  } catch (e) { /* a browser that forbids it keeps its own language */ }
})();
