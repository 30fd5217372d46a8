<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AgreementView</name>
    <message>
        <location filename="../../sfdesk/ui/rerank/agreement.py" line="+113"/>
        <source>%1 (%2 of %3)</source>
        <translation>%1（%3 个中有 %2 个）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1 (cosine)</source>
        <translation>%1（余弦）</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+1"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kendall τ</source>
        <translation>Kendall τ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Top-%1 overlap</source>
        <translation>前 %1 重合度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Documents compared</source>
        <translation>比较的文档数</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Agreement between models</source>
        <translation>模型间一致性</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Top k:</source>
        <translation>前 k 个：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How many top documents to compare</source>
        <translation>比较排名前几的文档</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The overlap compares the first k documents of each ranking</source>
        <translation>重合度比较每个排名的前 k 个文档</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agreement between each pair of models</source>
        <translation>每两个模型之间的一致性</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Kendall τ: 1 = the same order, 0 = unrelated, −1 = reversed (over the documents both ranked). Top-k overlap: the share of documents both put in their first k.</source>
        <translation>Kendall τ：1 表示顺序相同，0 表示无关，−1 表示完全相反（只计两者都排了的文档）。前 k 重合度：两者都排进前 k 名的文档所占比例。</translation>
    </message>
</context>
<context>
    <name>AttachmentBar</name>
    <message>
        <location filename="../../sfdesk/ui/chat/attachments.py" line="+130"/>
        <source>pasted-%1.png</source>
        <translation>粘贴图片-%1.png</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>At most %1 images can be attached to one message.</source>
        <translation>每条消息最多附加 %1 张图片。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 is too large to attach (over 30 MB).</source>
        <translation>%1 太大，无法附加（超过 30 MB）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 could not be read.</source>
        <translation>无法读取 %1。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is not an image that can be attached.</source>
        <translation>%1 不是可附加的图片。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>%1 (%2) — click to remove</source>
        <translation>%1（%2）— 点击移除</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove attachment %1</source>
        <translation>移除附件 %1</translation>
    </message>
</context>
<context>
    <name>ChatExport</name>
    <message>
        <location filename="../../sfdesk/ui/chat/export.py" line="+22"/>
        <source>Untitled conversation</source>
        <translation>未命名对话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tool</source>
        <translation>工具</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reasoning</source>
        <translation>推理过程</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tool calls</source>
        <translation>工具调用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stopped by the user; the answer is incomplete.</source>
        <translation>已被用户停止，回答不完整。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Interrupted; the answer is incomplete.</source>
        <translation>已中断，回答不完整。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Still being written when exported; the answer may be incomplete.</source>
        <translation>导出时回答仍在生成，可能不完整。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cut off at the token limit (finish reason: length).</source>
        <translation>已达到 token 上限而被截断（结束原因：length）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>prompt</source>
        <translation>输入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>completion</source>
        <translation>输出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reasoning</source>
        <translation>推理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tokens</source>
        <translation>token</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>first token</source>
        <translation>首字</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>total</source>
        <translation>总计</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>finish</source>
        <translation>结束</translation>
    </message>
</context>
<context>
    <name>ChatPanel</name>
    <message>
        <location filename="../../sfdesk/ui/chat/panel.py" line="+192"/>
        <source>The images are still being prepared; send again in a moment.</source>
        <translation>图片仍在处理中，请稍后再发送。</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Export conversation</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The conversation could not be saved: %1</source>
        <translation>无法保存对话：%1</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Waiting for the answer…</source>
        <translation>正在等待回答…</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Delete this message? This cannot be undone.</source>
        <translation>删除这条消息？此操作无法撤销。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Regenerate this answer? The %1 message(s) after it will be removed.</source>
        <translation>重新生成这条回答？其后的 %1 条消息将被删除。</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>TTFT %1 ms</source>
        <translation>首字延迟 %1 毫秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 tokens/s</source>
        <translation>%1 token/秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>prompt %1</source>
        <translation>输入 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>completion %1</source>
        <translation>输出 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reasoning %1</source>
        <translation>思考 %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>finish: length (truncated)</source>
        <translation>结束原因：length（已截断）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>finish: %1</source>
        <translation>结束原因：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Conversations</source>
        <translation>对话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run one prompt through up to four models or prompt variants side by side</source>
        <translation>把同一个提示词并排发给最多四个模型或提示词变体</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>System:</source>
        <translation>系统：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>System prompt (optional)</source>
        <translation>系统提示词（可选）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+2"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Send (Ctrl+Enter)</source>
        <translation>发送（Ctrl+Enter）</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+2"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Stop the answer (Esc)</source>
        <translation>停止回答（Esc）</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+4"/>
        <source>View code</source>
        <translation>查看代码</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>The next request as curl and Python; the key is never shown</source>
        <translation>以 curl 和 Python 代码显示下一次请求；不会显示密钥</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reply statistics</source>
        <translation>回复统计</translation>
    </message>
</context>
<context>
    <name>ChatParams</name>
    <message>
        <location filename="../../sfdesk/ui/chat/params.py" line="+421"/>
        <source>More (%1)</source>
        <translation>更多（%1）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>More</source>
        <translation>更多</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Temperature:</source>
        <translation>温度：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Randomness: lower is more focused, higher more varied (0–2)</source>
        <translation>随机性：越低越稳定，越高越多样（0–2）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Max tokens:</source>
        <translation>最大 token 数：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Max tokens</source>
        <translation>最大 token 数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The longest answer in tokens; the answer is cut off there</source>
        <translation>回答的最大长度（token），超出即截断</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Budget:</source>
        <translation>预算：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thinking budget (tokens)</source>
        <translation>思考预算（token）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The most tokens the model may spend thinking (128–32768)</source>
        <translation>模型思考最多可用的 token 数（128–32768）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Top P:</source>
        <translation>Top P：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Top P</source>
        <translation>Top P</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pick only among the likeliest tokens that together reach this probability (0–1)</source>
        <translation>只从累计概率达到该值的高概率 token 中采样（0–1）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Top K:</source>
        <translation>Top K：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Top K</source>
        <translation>Top K</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pick only among the K likeliest tokens (1–100); -1 turns this off</source>
        <translation>只从概率最高的 K 个 token 中采样（1–100）；-1 表示关闭</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Min P:</source>
        <translation>Min P：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Min P</source>
        <translation>Min P</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Skip tokens less likely than this fraction of the likeliest one (0–1, Qwen3 only)</source>
        <translation>跳过概率低于最高概率 token 该比例的 token（0–1，仅 Qwen3）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Frequency penalty:</source>
        <translation>频率惩罚：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Frequency penalty</source>
        <translation>频率惩罚</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Above 0 discourages repeating words; below 0 allows it (-2 to 2)</source>
        <translation>大于 0 减少重复用词，小于 0 则允许重复（-2 到 2）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stop:</source>
        <translation>停止序列：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop sequences</source>
        <translation>停止序列</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The answer ends before any of these texts. Up to 4, one per line; type \n for a line break</source>
        <translation>回答在遇到其中任一文本时停止。最多 4 个，每行一个；换行请输入 \n</translation>
    </message>
    <message>
        <location line="+21"/>
        <location line="+1"/>
        <source>Thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Let a hybrid model think before it answers</source>
        <translation>让混合推理模型先思考再回答</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>JSON mode</source>
        <translation>JSON 模式</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The answer is one valid JSON object; ask for JSON in the prompt too</source>
        <translation>回答为一个合法的 JSON 对象；提示词中也需要要求输出 JSON</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One per line</source>
        <translation>每行一个</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>More parameters</source>
        <translation>更多参数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show or hide more sampling parameters</source>
        <translation>显示或隐藏更多采样参数</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../../sfdesk/ui/chat/view.py" line="+116"/>
        <source>Show earlier messages (%1 more)</source>
        <extracomment>Actions the panel carries out (the view only asks); copying is done by the view itself.</extracomment>
        <translation>显示更早的消息（还有 %1 条）</translation>
    </message>
    <message>
        <location line="+44"/>
        <location line="+108"/>
        <location line="+35"/>
        <location line="+6"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="-57"/>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+7"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Copy as Markdown</source>
        <translation>复制为 Markdown</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Thought for %1 s</source>
        <translation>已思考 %1 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hide</source>
        <translation>收起</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Show</source>
        <translation>展开</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Thinking… (%1 s)</source>
        <translation>思考中…（%1 秒）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>■ Stopped</source>
        <translation>■ 已停止</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>⚠ Interrupted: the answer was cut off.</source>
        <translation>⚠ 已中断：回答没有完整收到。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Request failed</source>
        <translation>请求失败</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>⚠ Truncated: the answer reached max_tokens.</source>
        <translation>⚠ 已截断：回答达到了 max_tokens 上限。</translation>
    </message>
    <message>
        <location line="+137"/>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
</context>
<context>
    <name>CodeDialog</name>
    <message>
        <location filename="../../sfdesk/ui/chat/code_dialog.py" line="+87"/>
        <source>View code</source>
        <translation>查看代码</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>curl</source>
        <translation>curl</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Python (httpx)</source>
        <translation>Python（httpx）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Python (openai SDK)</source>
        <translation>Python（openai SDK）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the code</source>
        <translation>复制代码</translation>
    </message>
</context>
<context>
    <name>CompareColumn</name>
    <message>
        <location filename="../../sfdesk/ui/compare/column.py" line="+181"/>
        <location line="+74"/>
        <source>✓ Voted</source>
        <translation>✓ 已投票</translation>
    </message>
    <message>
        <location line="-74"/>
        <location line="+75"/>
        <source>Vote</source>
        <translation>投票</translation>
    </message>
    <message>
        <location line="-67"/>
        <location line="+8"/>
        <source>Waiting…</source>
        <translation>等待中…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Streaming…</source>
        <translation>生成中…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>image</source>
        <translation>图片</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>TTFT %1 s</source>
        <translation>首字 %1 秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 tok/s</source>
        <translation>%1 tok/s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 tokens</source>
        <translation>%1 tokens</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Answer %1</source>
        <translation>回答 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Column %1</source>
        <translation>第 %1 列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>e.g. short prompt, thinking on</source>
        <translation>例如：简短提示词、开启思考</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>System prompt ({{name}} placeholders allowed)</source>
        <translation>系统提示词（可使用 {{name}} 占位符）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Model of column %1</source>
        <translation>第 %1 列的模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Answer</source>
        <translation>回答</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove this column</source>
        <translation>删除这一列</translation>
    </message>
</context>
<context>
    <name>ComparePanel</name>
    <message>
        <location filename="../../sfdesk/ui/compare/panel.py" line="+64"/>
        <source>Results as Markdown…</source>
        <translation>结果导出为 Markdown…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Results as CSV…</source>
        <translation>结果导出为 CSV…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location line="+140"/>
        <source>Saved to %1.</source>
        <extracomment>The second column of a new workbench: another family, so a first run already compares. Every finished cell of the latest run, by (row, column).</extracomment>
        <translation>已保存到 %1。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Could not save %1: %2</source>
        <translation>无法保存 %1：%2</translation>
    </message>
    <message>
        <location line="+132"/>
        <source>The clipboard holds no table: copy a header line of variable names and one line per row (tab- or comma-separated).</source>
        <translation>剪贴板中没有表格：请复制一行变量名作为表头，然后每行一组取值（用制表符或逗号分隔）。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 row(s) added.</source>
        <translation>已添加 %1 行。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Columns not used by any prompt: %1</source>
        <translation>没有提示词用到的列：%1</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Type what to send to every column first.</source>
        <translation>请先输入要发给每一列的内容。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Every column needs a model.</source>
        <translation>每一列都需要选择模型。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The prompts use %1: add at least one row of values under Variables.</source>
        <translation>提示词中用到了 %1：请在“变量”中至少添加一行取值。</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Running %1 column(s) × %2 row(s)…</source>
        <translation>正在运行 %1 列 × %2 行…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Row %1</source>
        <translation>第 %1 行</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Row %1: %2</source>
        <translation>第 %1 行：%2</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Done: %1 answer(s).</source>
        <translation>完成：%1 个回答。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 failed (%2).</source>
        <translation>%1 个失败（%2）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Blind: vote for the best answer, then Reveal.</source>
        <translation>盲测：请为最好的回答投票，然后点击“揭晓”。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Stopped. Finished answers are kept.</source>
        <translation>已停止。已完成的回答会保留。</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Answer %1</source>
        <translation>回答 %1</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Revealed: %1</source>
        <translation>揭晓：%1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Votes (%1 round(s)): %2</source>
        <translation>投票（%1 轮）：%2</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Nothing to export yet: run a comparison first.</source>
        <translation>还没有可导出的内容：请先运行一次对比。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Export the comparison</source>
        <translation>导出对比结果</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Compare results</source>
        <translation>对比结果</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TTFT {value} s</source>
        <translation>首字 {value} 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{value} tok/s</source>
        <translation>{value} tok/s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{value} tokens</source>
        <translation>{value} tokens</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>finish: {value}</source>
        <translation>结束原因：{value}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>model: {value}</source>
        <translation>模型：{value}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>variant: {value}</source>
        <translation>变体：{value}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reasoning</source>
        <translation>思考过程</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No result.</source>
        <translation>没有结果。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Empty answer.</source>
        <translation>空回答。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Comparison: %1</source>
        <translation>对比：%1</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Variables (%1 rows)</source>
        <translation>变量（%1 行）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Results grid</source>
        <translation>结果表格</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add column</source>
        <translation>添加列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Up to %1 columns</source>
        <translation>最多 %1 列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Presets…</source>
        <translation>预设…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Blind</source>
        <translation>盲测</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hide which model wrote each answer until Reveal</source>
        <translation>在“揭晓”前隐藏每个回答来自哪个模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reveal</source>
        <translation>揭晓</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>What to send to every column (Ctrl+Enter). {{name}} placeholders take their values from the Variables table, one run per row.</source>
        <translation>要发给每一列的内容（Ctrl+Enter）。{{name}} 占位符的值来自“变量”表格，每行运行一次。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Prompt for every column</source>
        <translation>发给每一列的提示词</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send to every column (Ctrl+Enter)</source>
        <translation>发送给每一列（Ctrl+Enter）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop every column (Esc)</source>
        <translation>停止所有列（Esc）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add row</source>
        <translation>添加行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove rows</source>
        <translation>删除行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paste table</source>
        <translation>粘贴表格</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rows from a table copied from a spreadsheet (header line: variable names)</source>
        <translation>从电子表格复制的表格中添加行（表头为变量名）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Variable values, one row per run</source>
        <translation>变量取值，每行运行一次</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Results, rows × columns</source>
        <translation>结果，行 × 列</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Set up two to four columns — models, system prompts, parameters — type one prompt, and Run: the answers stream side by side.</source>
        <translation>设置二到四列——模型、系统提示词、参数——输入一个提示词并点击“运行”：回答会并排流式显示。</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <location filename="../../sfdesk/ui/embeddings/compare.py" line="+193"/>
        <source>A: %1</source>
        <translation>A：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>B: %1</source>
        <translation>B：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Similarity heatmap of model A</source>
        <translation>模型 A 的相似度热力图</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Similarity heatmap of model B</source>
        <translation>模型 B 的相似度热力图</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agreement per text (Spearman ρ, lowest first)</source>
        <translation>逐条文本的一致性（Spearman ρ，从低到高）</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+12"/>
        <source>Pairs the models disagree on most</source>
        <translation>两个模型分歧最大的文本对</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>Each model&apos;s pairs are ranked from least to most similar; these pairs moved furthest between the two rankings. Scores are in each model&apos;s own scale.</source>
        <translation>每个模型先把所有文本对按相似度从低到高排序；这些文本对在两个排序中的位置相差最大。分数为各模型自身的尺度。</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+2"/>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>ρ</source>
        <translation>ρ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Spearman rank correlation per text</source>
        <translation>逐条文本的 Spearman 秩相关系数</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Pick a second model and press Compare: both embed the same texts, and the differences show here.</source>
        <translation>选择第二个模型并点击“对比”：两个模型对同一组文本做向量化，差异会显示在这里。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Too few texts for a rank correlation: at least three are needed.</source>
        <translation>文本太少，无法计算秩相关：至少需要三条。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Mean Spearman ρ over the texts: %1 (1: both models order every text&apos;s neighbours the same way; 0: unrelated orders).</source>
        <translation>各文本的平均 Spearman ρ：%1（1 表示两个模型对每条文本的近邻排序完全一致；0 表示排序互不相关）。</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../sfdesk/ui/chat/composer.py" line="+139"/>
        <location line="+32"/>
        <source>Attach images</source>
        <translation>附加图片</translation>
    </message>
    <message>
        <location line="-28"/>
        <source>Images (%1)</source>
        <translation>图片 (%1)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Editing a sent message: sending replaces it and everything after it.</source>
        <translation>正在编辑已发送的消息：发送后将替换它及其后的所有消息。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel edit</source>
        <translation>取消编辑</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Message (Ctrl+Enter to send; paste or drop images to attach)</source>
        <translation>输入消息（Ctrl+Enter 发送；可粘贴或拖入图片）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Image…</source>
        <translation>图片…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attach images for a vision model (up to 4)</source>
        <translation>为视觉模型附加图片（最多 4 张）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Attached images</source>
        <translation>已附加的图片</translation>
    </message>
</context>
<context>
    <name>ConversationList</name>
    <message>
        <location filename="../../sfdesk/ui/chat/conversations.py" line="+75"/>
        <source>(untitled)</source>
        <translation>（无标题）</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Rename conversation</source>
        <translation>重命名对话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Title:</source>
        <translation>标题：</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Delete conversation</source>
        <translation>删除对话</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete this conversation and all its messages? This cannot be undone.</source>
        <translation>删除此对话及其全部消息？此操作无法撤销。</translation>
    </message>
    <message>
        <location line="+29"/>
        <location line="+1"/>
        <source>Search conversations</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New conversation (Ctrl+N)</source>
        <translation>新建对话（Ctrl+N）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New conversation</source>
        <translation>新建对话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conversations</source>
        <translation>对话列表</translation>
    </message>
</context>
<context>
    <name>DocumentsEditor</name>
    <message>
        <location filename="../../sfdesk/ui/rerank/documents.py" line="+103"/>
        <source>Documents: %1</source>
        <extracomment>The count line is refreshed this long after the last keystroke. The file types offered by the import dialog (all of them read by ``load_file``). The documents changed (after typing pauses, or at once when replaced).</extracomment>
        <translation>文档：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>repeated: %1</source>
        <translation>重复：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>changed since the results shown</source>
        <translation>与显示的结果相比已有改动</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+34"/>
        <source>Import documents</source>
        <translation>导入文档</translation>
    </message>
    <message>
        <location line="-32"/>
        <source>Documents (%1)</source>
        <translation>文档（%1）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Example sets…</source>
        <translation>示例集…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&amp;Documents</source>
        <translation>文档(&amp;D)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Example sets</source>
        <translation>示例集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Put a ready-made query and documents in place</source>
        <translation>填入现成的查询和文档</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Documents from a .txt, .csv, .tsv, .jsonl or .json file</source>
        <translation>从 .txt、.csv、.tsv、.jsonl 或 .json 文件导入文档</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>One document per line.
Then press Run (Ctrl+Enter).</source>
        <translation>每行一个文档。
然后按“运行”（Ctrl+Enter）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Documents to rank, one per line</source>
        <translation>要排序的文档，每行一个</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Document count</source>
        <translation>文档数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Documents too long for a model</source>
        <translation>对某个模型来说过长的文档</translation>
    </message>
</context>
<context>
    <name>EmbeddingsPanel</name>
    <message>
        <location filename="../../sfdesk/ui/embeddings/export.py" line="+30"/>
        <source>Similarity matrix as CSV…</source>
        <translation>相似度矩阵（CSV）…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Vectors as NumPy .npy…</source>
        <translation>向量（NumPy .npy）…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NumPy array (*.npy)</source>
        <translation>NumPy 数组 (*.npy)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Texts and vectors as JSON Lines…</source>
        <translation>文本和向量（JSON Lines）…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JSON Lines (*.jsonl)</source>
        <translation>JSON Lines 文件 (*.jsonl)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Heatmap as PNG image…</source>
        <translation>热力图（PNG 图片）…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+7"/>
        <source>PNG image (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>2-D map as PNG image…</source>
        <translation>二维分布图（PNG 图片）…</translation>
    </message>
    <message>
        <location filename="../../sfdesk/ui/embeddings/panel.py" line="+294"/>
        <location line="+407"/>
        <source>Similarity heatmap</source>
        <extracomment>Characters of a run&apos;s query shown in its history entry (the tooltip has all of it). The run history as last listed, newest first; None when it cannot be opened.</extracomment>
        <translation>相似度热力图</translation>
    </message>
    <message>
        <location line="-300"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location line="+126"/>
        <location line="+9"/>
        <location line="+131"/>
        <location line="+1"/>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location line="-74"/>
        <source>The last %1 runs, newest first, kept after sfdesk closes. Double-click one to show it again (vectors still in the cache are not fetched again); Delete removes the selected runs.</source>
        <translation>最近 %1 次运行，最新的在前，关闭 sfdesk 后仍会保留。双击一项可重新显示（仍在缓存中的向量不会重新获取）；按 Delete 键删除所选运行。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 vs %2</source>
        <translation>%1 对比 %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 · %2 · texts: %3</source>
        <translation>%1 · %2 · 文本数：%3</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>query: %1</source>
        <translation>查询：%1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>… and %1 more</source>
        <translation>……另有 %1 条</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Query: %1</source>
        <translation>查询：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tokens: %1</source>
        <translation>Token 用量：%1</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Embedding model</source>
        <translation>嵌入模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+22"/>
        <source>Dimensions:</source>
        <translation>维度：</translation>
    </message>
    <message>
        <location line="-21"/>
        <source>Dimensions</source>
        <translation>维度</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shorter vectors are cheaper to store; the default is the model&apos;s full size</source>
        <translation>维度越低，向量越节省存储；默认使用模型的完整维度</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+1"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Embed the texts and compare them (Ctrl+Enter)</source>
        <translation>对文本做向量化并比较相似度（Ctrl+Enter）</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop the requests under way (Esc)</source>
        <translation>停止正在进行的请求（Esc）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sort by similarity</source>
        <translation>按相似度排序</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Put similar texts next to each other</source>
        <translation>把相似的文本排在一起</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type a query and press Enter</source>
        <translation>输入查询后按回车</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+13"/>
        <source>Query</source>
        <translation>查询</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>Rank</source>
        <translation>排序</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rank the texts by similarity to the query</source>
        <translation>按与查询的相似度给文本排序</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compare with:</source>
        <translation>对比模型：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Second embedding model</source>
        <translation>第二个嵌入模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dimensions of the second model</source>
        <translation>第二个模型的维度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compare the two models</source>
        <translation>对比两个模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Heatmap</source>
        <translation>热力图</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>2-D map</source>
        <translation>二维分布图</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compare models</source>
        <translation>模型对比</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Results</source>
        <translation>结果</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../sfdesk/ui/errors.py" line="+25"/>
        <source>Invalid API key</source>
        <translation>API 密钥无效</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The API key was rejected. Check that it was copied whole, without missing characters, and that it has not been deleted in the SiliconFlow console.</source>
        <translation>API 密钥被拒绝。请确认密钥复制完整、没有遗漏字符，并且没有在硅基流动控制台中被删除。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Key rejected by this site</source>
        <translation>该站点不接受此密钥</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This site does not accept the key. Keys from siliconflow.cn and siliconflow.com belong to separate accounts: choose the site where the key was created.</source>
        <translation>该站点不接受此密钥。siliconflow.cn 与 siliconflow.com 的密钥属于彼此独立的账户，请选择创建该密钥的站点。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Balance insufficient</source>
        <translation>余额不足</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The account balance is not enough for this request. Recharge the account in the SiliconFlow console, or choose a free model.</source>
        <translation>账户余额不足以完成此请求。请在硅基流动控制台充值，或改用免费模型。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Verification required</source>
        <translation>需要实名认证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This model can only be used after the account has completed real-name verification in the SiliconFlow console.</source>
        <translation>账户需先在硅基流动控制台完成实名认证，才能使用此模型。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Model unavailable</source>
        <translation>模型不可用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This model is disabled for this account or on this site. Choose another model.</source>
        <translation>此模型对当前账户或在当前站点已停用，请选择其他模型。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Not allowed</source>
        <translation>无权操作</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The account is not allowed to do this. Check the balance and the account status in the SiliconFlow console.</source>
        <translation>当前账户无权执行此操作。请在硅基流动控制台检查余额和账户状态。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Unknown model</source>
        <translation>模型不存在</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This model does not exist on this site. Models are added and retired often: refresh the model list and pick another one.</source>
        <translation>当前站点不存在此模型。模型上下线较为频繁，请刷新模型列表后另选一个。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Request rejected</source>
        <translation>请求被拒绝</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server rejected the request as invalid. A parameter may not be supported by this model; see the server&apos;s message below.</source>
        <translation>服务器认为请求无效，拒绝了它。可能是此模型不支持某个参数，详见下方的服务器消息。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Address not found</source>
        <translation>地址不存在</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server has no such address. Check the base URL: it usually ends in /v1.</source>
        <translation>服务器上没有这个地址。请检查 API 地址，它通常以 /v1 结尾。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Request too large</source>
        <translation>请求过大</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The request is larger than the server accepts. Send less at once.</source>
        <translation>请求超出了服务器允许的大小，请减少单次发送的内容。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Rate limited</source>
        <translation>请求过于频繁</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Too many requests or tokens in a short time for this account. Wait a moment and try again.</source>
        <translation>此账户在短时间内的请求数或 token 数超出了限制，请稍等片刻再试。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Service busy</source>
        <translation>服务繁忙</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The model service is overloaded right now. Try again in a little while, or choose another model.</source>
        <translation>模型服务当前负载过高，请稍后再试，或选择其他模型。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Server timed out</source>
        <translation>服务器超时</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server took too long to produce an answer. Try again later; for long answers, streaming helps.</source>
        <translation>服务器生成回答耗时过长。请稍后再试；较长的回答建议使用流式输出。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Server error</source>
        <translation>服务器错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server ran into a problem of its own. Try again later.</source>
        <translation>服务器自身出现了问题，请稍后再试。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cannot connect</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not reach the server. Check the network connection, any proxy, and the base URL.</source>
        <translation>无法连接到服务器。请检查网络连接、代理设置以及 API 地址。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No answer in time</source>
        <translation>响应超时</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server did not answer in time. Check the network, or raise the timeouts in the settings.</source>
        <translation>服务器未能及时响应。请检查网络，或在设置中调大超时时间。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Answer cut off</source>
        <translation>回答被截断</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The answer stopped before it was finished. What arrived is kept; try again to get the rest.</source>
        <translation>回答在完成前中断了。已收到的部分会保留，可重试以获得完整回答。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Unexpected response</source>
        <translation>响应格式异常</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server sent something sfdesk does not understand. If you use a custom base URL, check that it is OpenAI-compatible.</source>
        <translation>服务器返回了 sfdesk 无法识别的内容。如果使用的是自定义 API 地址，请确认它兼容 OpenAI 接口。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Content refused</source>
        <translation>内容未通过审核</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The content was refused by moderation. Rephrase the prompt and try again.</source>
        <translation>内容未通过安全审核，请修改提示词后重试。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Download failed</source>
        <translation>下载失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The result was generated but its file could not be downloaded (links expire after an hour). Generate it again.</source>
        <translation>结果已生成，但文件下载失败（链接一小时后失效）。请重新生成。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Request failed</source>
        <translation>请求失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The request failed. See the details below.</source>
        <translation>请求失败，详情见下方。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Something went wrong inside sfdesk. The details were written to the log file; please include them if you report the problem.</source>
        <translation>sfdesk 内部出现了问题。详细信息已写入日志文件，反馈问题时请一并附上。</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Error type: %1</source>
        <extracomment>Every reason :func:`explain` knows (the ApiError reasons of the service layer).</extracomment>
        <translation>错误类型：%1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Server message: %1</source>
        <translation>服务器消息：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Details: %1</source>
        <translation>详情：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>HTTP status: %1</source>
        <translation>HTTP 状态码：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Trace ID: %1</source>
        <translation>Trace ID：%1</translation>
    </message>
</context>
<context>
    <name>ExportButton</name>
    <message>
        <location filename="../../sfdesk/ui/export_button.py" line="+56"/>
        <location line="+1"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
</context>
<context>
    <name>GalleryModel</name>
    <message>
        <location filename="../../sfdesk/ui/images/gallery.py" line="+150"/>
        <source>Model: %1</source>
        <translation>模型：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Size: %1×%2</source>
        <translation>尺寸：%1×%2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Seed: %1</source>
        <translation>种子：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Made: %1</source>
        <translation>生成于：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A comparison grid</source>
        <translation>对比网格图</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not downloaded: the parameters are kept.</source>
        <translation>未下载：参数已保留。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Its link works until %1.</source>
        <translation>链接有效至 %1。</translation>
    </message>
</context>
<context>
    <name>GalleryView</name>
    <message>
        <location line="+131"/>
        <location line="+145"/>
        <source>All models</source>
        <translation>全部模型</translation>
    </message>
    <message>
        <location line="-93"/>
        <source>The gallery could not be opened, so images are not kept after this session. The log file says why.</source>
        <translation>无法打开图库，本次生成的图像在退出后不会保留。原因见日志文件。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Every image you generate is kept here, on this computer, with the parameters it was made with.</source>
        <translation>生成的每张图像都会连同生成参数保存在这里（本机）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No image matches the filter.</source>
        <translation>没有符合筛选条件的图像。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Gallery (%1)</source>
        <translation>图库（%1）</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reuse parameters</source>
        <translation>复用参数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Download again</source>
        <translation>重新下载</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Show the image at full size (Enter)</source>
        <translation>以原始大小查看图像（Enter）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the image to the clipboard (Ctrl+C)</source>
        <translation>将图像复制到剪贴板（Ctrl+C）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Put this image&apos;s model, prompt, size, steps and seed back in the form</source>
        <translation>把这张图像的模型、提示词、尺寸、步数和种子填回表单</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Download an image that could not be fetched (links work for one hour)</source>
        <translation>重新下载未能获取的图像（链接有效期为一小时）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete the chosen images (Delete)</source>
        <translation>删除所选图像（Delete）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filter by prompt</source>
        <translation>按提示词筛选</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filter the gallery by prompt</source>
        <translation>按提示词筛选图库</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filter the gallery by model</source>
        <translation>按模型筛选图库</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gallery</source>
        <translation>图库</translation>
    </message>
</context>
<context>
    <name>GridSetup</name>
    <message>
        <location filename="../../sfdesk/ui/images/grid.py" line="+230"/>
        <source>This model has no steps or guidance to compare. Choose Kolors or Qwen-Image for a grid.</source>
        <extracomment>A cell is an image, a failure (its one-line reason) or None while it is awaited. The panel&apos;s prompt: the one row when no prompts are typed here.</extracomment>
        <translation>该模型没有可对比的步数或引导系数。请选择 Kolors 或 Qwen-Image 来运行网格对比。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Type a prompt: one to %1 prompts for the rows, one per line.</source>
        <translation>请输入提示词：每行一个，作为网格的行，共 1 到 %1 个。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>At most %1 prompts: one per row.</source>
        <translation>最多 %1 个提示词：每行一个。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Type the values as numbers separated by commas, e.g. 20, 30, 50.</source>
        <translation>请输入用逗号分隔的数字，例如 20, 30, 50。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Type one to %1 values for the columns.</source>
        <translation>请输入 1 到 %1 个取值，作为网格的列。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 takes values from %2 to %3.</source>
        <translation>%1 的取值范围是 %2 到 %3。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Steps are whole numbers.</source>
        <translation>步数必须是整数。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A grid compares at least two images: add a prompt or a value.</source>
        <translation>网格至少要对比两张图像：请再添加一个提示词或取值。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This model has nothing to vary in a grid.</source>
        <translation>该模型没有可在网格中变化的参数。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 images: %2 prompt(s) × %3 value(s) of %4, all with one seed.</source>
        <translation>共 %1 张图像：%2 个提示词 × %3 个%4取值，全部使用同一个种子。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Guidance scale</source>
        <translation>引导系数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CFG</source>
        <translation>CFG</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Prompts</source>
        <translation>提示词</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vary</source>
        <translation>变化参数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Values</source>
        <translation>取值</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One prompt per row (up to %1); the prompt above is used when empty</source>
        <translation>每行一个提示词（最多 %1 个）；留空则使用上方的提示词</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>e.g. 20, 30, 50</source>
        <translation>例如 20, 30, 50</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run grid</source>
        <translation>运行网格</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Generate every cell with the same seed</source>
        <translation>用同一个种子生成每个格子</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Grid of images</source>
        <translation>图像网格</translation>
    </message>
</context>
<context>
    <name>HeatmapView</name>
    <message>
        <location filename="../../sfdesk/ui/embeddings/heatmap.py" line="+182"/>
        <source>Cosine similarity: %1</source>
        <extracomment>Up to this many texts, the left axis shows each text&apos;s start beside its number. Above LABEL_LIMIT, about this many numbered ticks per axis. Colour-blind safe, perceptually even, and readable on a light or a dark background. The tooltip last shown (tests and accessibility tools read it).</extracomment>
        <translation>余弦相似度：%1</translation>
    </message>
    <message>
        <location line="+105"/>
        <source>Cosine similarity</source>
        <translation>余弦相似度</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cosine similarity of every pair of texts; hover for both texts and the score</source>
        <translation>每对文本的余弦相似度；鼠标悬停可查看两条文本及分数</translation>
    </message>
</context>
<context>
    <name>ImageViewer</name>
    <message>
        <location filename="../../sfdesk/ui/images/viewer.py" line="+97"/>
        <source>Actual size</source>
        <translation>实际大小</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fit to window</source>
        <translation>适应窗口</translation>
    </message>
</context>
<context>
    <name>ImagesPanel</name>
    <message>
        <location filename="../../sfdesk/ui/images/panel.py" line="+323"/>
        <source>Add a reference image</source>
        <extracomment>The latest generation (what the result strip shows). The gallery as last listed, newest first; None when it cannot be opened.</extracomment>
        <translation>添加参考图</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Images (*.png *.jpg *.jpeg *.webp *.bmp *.gif *.tif *.tiff)</source>
        <translation>图像 (*.png *.jpg *.jpeg *.webp *.bmp *.gif *.tif *.tiff)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>the file is missing</source>
        <translation>文件不存在</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Save image</source>
        <translation>保存图像</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete %1 image(s) from the gallery? Their files are deleted too.</source>
        <translation>从图库中删除 %1 张图像？对应的文件也会被删除。</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 · seed %2</source>
        <translation>%1 · 种子 %2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>waiting…</source>
        <translation>等待中…</translation>
    </message>
    <message>
        <location line="+115"/>
        <source>Reference (required)</source>
        <translation>参考图（必填）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reference (optional)</source>
        <translation>参考图（可选）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Up to %1 image(s); paste or drop images here too</source>
        <translation>最多 %1 张；也可以粘贴或拖放图像到这里</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+5"/>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Describe the image, e.g. a red fox in snow, watercolour (Ctrl+Enter)</source>
        <translation>描述想要的图像，例如：雪地里的红狐狸，水彩风格（Ctrl+Enter）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Image model</source>
        <translation>图像模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add image…</source>
        <translation>添加图像…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Generate the image (Ctrl+Enter)</source>
        <translation>生成图像（Ctrl+Enter）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop waiting for the images (Esc)</source>
        <translation>停止等待图像（Esc）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>View code</source>
        <translation>查看代码</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The request as curl or Python, with the key read from the environment</source>
        <translation>以 curl 或 Python 显示该请求，密钥从环境变量读取</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
</context>
<context>
    <name>ImagesStatus</name>
    <message>
        <location filename="../../sfdesk/ui/images/status.py" line="+31"/>
        <source>Pick a model, describe the image and press Generate (Ctrl+Enter). Every image is kept in the gallery with the parameters it was made with.</source>
        <extracomment>The API&apos;s code for an image size the model does not take.</extracomment>
        <translation>选择模型，描述图像，然后点击“生成”（Ctrl+Enter）。每张图像都会连同生成参数保存在图库中。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Describe the image first: the prompt is empty.</source>
        <translation>请先描述图像：提示词为空。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The reference image is still being prepared; try again in a moment.</source>
        <translation>参考图仍在处理中，请稍后再试。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancelled. Images that had already arrived are kept.</source>
        <translation>已取消。已收到的图像会保留。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Image copied to the clipboard.</source>
        <translation>图像已复制到剪贴板。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The image&apos;s parameters are back in the form, with its seed locked: Generate makes it again.</source>
        <translation>已将该图像的参数填回表单并锁定种子：点击“生成”即可重新生成它。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Downloaded: the image is in the gallery now.</source>
        <translation>下载完成：图像已保存到图库。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The grid is saved in the gallery as one image.</source>
        <translation>网格已作为一张图像保存到图库。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 edits an image: add a reference image first (Add image…, paste or drag and drop).</source>
        <translation>%1 用于编辑图像：请先添加参考图（“添加图像…”、粘贴或拖放）。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Generating %1 image(s)… %2 s (Esc cancels)</source>
        <translation>正在生成 %1 张图像… %2 秒（Esc 取消）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Grid: %1 of %2 images… %3 s (Esc cancels)</source>
        <translation>网格：已完成 %1/%2 张… %3 秒（Esc 取消）</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1: %2 The parameters stay in the gallery: Reuse parameters, then Generate, makes the image again.</source>
        <translation>%1：%2 参数仍保存在图库中：先“复用参数”，再点击“生成”即可重新生成该图像。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Saved to %1 (with its parameters inside).</source>
        <translation>已保存到 %1（文件内含生成参数）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Could not save %1: %2</source>
        <translation>无法保存 %1：%2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Deleted %1 image(s) from the gallery.</source>
        <translation>已从图库删除 %1 张图像。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 image(s) in %2 s</source>
        <translation>%1 张图像，用时 %2 秒</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>inference %1 s</source>
        <translation>推理 %1 秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>seed %1</source>
        <translation>种子 %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 image(s) were withheld by content moderation: rephrase the prompt.</source>
        <translation>有 %1 张图像被内容审核拦截：请修改提示词。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 image(s) could not be downloaded (%2). Their parameters are kept in the gallery: Download again works while the link lives (one hour).</source>
        <translation>有 %1 张图像未能下载（%2）。其参数已保存在图库中：链接有效期内（一小时）可以“重新下载”。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The gallery could not save them: use Save as… to keep them.</source>
        <translation>图库无法保存这些图像：请使用“另存为…”保留它们。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Grid finished: %1 images in %2 s.</source>
        <translation>网格完成：%1 张图像，用时 %2 秒。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 cell(s) failed: %2</source>
        <translation>有 %1 个格子失败：%2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>This model does not take that image size. Choose one of the sizes in the list.</source>
        <translation>该模型不支持这个图像尺寸。请从列表中选择一个尺寸。</translation>
    </message>
</context>
<context>
    <name>KeyDialog</name>
    <message>
        <location filename="../../sfdesk/ui/key_dialog.py" line="+303"/>
        <source>Create or copy a key on the API keys page: %1</source>
        <translation>请在控制台的 API 密钥页面创建或复制密钥：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use the API key issued by this server.</source>
        <translation>请使用该服务器签发的 API 密钥。</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Enter an API key first.</source>
        <translation>请先输入 API 密钥。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This does not look like an API key: it contains characters keys never have.</source>
        <translation>这看起来不像 API 密钥：其中含有密钥中不会出现的字符。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter a valid base URL starting with http:// or https://.</source>
        <translation>请输入以 http:// 或 https:// 开头的有效 API 地址。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Connected, but the account balance is %1. Requests to paid models will be refused (HTTP 403) until you recharge; free models still work.</source>
        <translation>连接成功，但账户余额为 %1。充值之前，付费模型的请求将被拒绝（HTTP 403）；免费模型仍可使用。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Connected. Balance %1</source>
        <translation>连接成功。余额 %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>If the key was created on siliconflow.com, choose the International site above.</source>
        <translation>如果该密钥是在 siliconflow.com 创建的，请在上方选择国际站。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>If the key was created on siliconflow.cn, choose the China site above.</source>
        <translation>如果该密钥是在 siliconflow.cn 创建的，请在上方选择中国站。</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Testing the connection to %1…</source>
        <translation>正在测试与 %1 的连接…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Test cancelled.</source>
        <translation>测试已取消。</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hide the key</source>
        <translation>隐藏密钥</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Show the key</source>
        <translation>显示密钥</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Connect to SiliconFlow</source>
        <translation>连接硅基流动</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>sfdesk needs an API key from your SiliconFlow account. Choose the site the account belongs to, paste the key, and test it.</source>
        <translation>sfdesk 需要你的硅基流动账户的 API 密钥。请选择账户所属的站点，粘贴密钥，然后测试一下。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>China — api.siliconflow.cn</source>
        <translation>中国站 — api.siliconflow.cn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>International — api.siliconflow.com</source>
        <translation>国际站 — api.siliconflow.com</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Custom OpenAI-compatible server</source>
        <translation>自定义 OpenAI 兼容服务</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Site:</source>
        <translation>站点(&amp;S)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Site</source>
        <translation>站点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Base URL:</source>
        <translation>API 地址(&amp;B)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Base URL</source>
        <translation>API 地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set by the SFDESK_BASE_URL environment variable.</source>
        <translation>由环境变量 SFDESK_BASE_URL 指定。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>API &amp;key:</source>
        <translation>API 密钥(&amp;K)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The SILICONFLOW_API_KEY environment variable is set, so its key is in use. A key saved here is used when the variable is not set.</source>
        <translation>已设置环境变量 SILICONFLOW_API_KEY，当前使用其中的密钥。在此保存的密钥将在未设置该变量时使用。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No system keyring is available: the key will be kept in memory for this session only, and you will be asked for it again next time.</source>
        <translation>系统密钥环不可用：密钥仅在本次会话中保存在内存里，下次启动时需要重新输入。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Test connection</source>
        <translation>测试连接(&amp;T)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop test</source>
        <translation>停止测试</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop the connection test</source>
        <translation>停止连接测试</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test result</source>
        <translation>测试结果</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>LevelMeter</name>
    <message>
        <location filename="../../sfdesk/ui/transcribe/meters.py" line="+198"/>
        <source>Input level</source>
        <extracomment>The meter&apos;s scale. Speech sits around -30…-12 dBFS; below -60 nothing is worth showing. Up to here the level is comfortable (green); up to ``YELLOW_MAX_DBFS`` it is hot (yellow); above, it is about to clip (red). A peak this close to full scale counts as clipping: int16 full scale is -0.0003 dBFS, and a resampling or gain stage before us may have shaved a little off a clipped wave. How long a peak stays put before it falls, how fast it falls, and how long the clip light stays on: long enough to be seen at a glance, short enough to show the gain was fixed. The clip light sits at the right end of the meter, apart from the bar.</extracomment>
        <translation>输入电平</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Silent</source>
        <translation>静音</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Level %1 dBFS, peak %2 dBFS. Clipping: turn the input volume down.</source>
        <translation>电平 %1 dBFS，峰值 %2 dBFS。已削波：请调低输入音量。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Level %1 dBFS, peak %2 dBFS</source>
        <translation>电平 %1 dBFS，峰值 %2 dBFS</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../sfdesk/ui/main_window.py" line="+202"/>
        <source>About sfdesk</source>
        <extracomment>After the first paint: the key store has been read and the balance fetch has started.</extracomment>
        <translation>关于 sfdesk</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A desktop playground for the SiliconFlow model API: chat, embeddings, rerank, image generation and transcription.</source>
        <translation>硅基流动模型 API 的桌面体验工具：支持对话、嵌入、重排序、图像生成和语音转写。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Log file: %1</source>
        <translation>日志文件：%1</translation>
    </message>
    <message>
        <location line="+96"/>
        <source>sfdesk — Sandbox</source>
        <translation>sfdesk — 沙盒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>API &amp;key…</source>
        <translation>API 密钥(&amp;K)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About sfdesk</source>
        <translation>关于 sfdesk(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Panels</source>
        <translation>功能面板</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 (Ctrl+%2)</source>
        <translation>%1（Ctrl+%2）</translation>
    </message>
</context>
<context>
    <name>MapView</name>
    <message>
        <location filename="../../sfdesk/ui/embeddings/map_view.py" line="+125"/>
        <location line="+114"/>
        <source>(no group)</source>
        <extracomment>Up to this many texts, each point carries its number and the start of its text. The tooltip last shown (tests and accessibility tools read it).</extracomment>
        <translation>（未分组）</translation>
    </message>
    <message>
        <location line="-52"/>
        <source>Group: %1</source>
        <translation>分组：%1</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Principal axis 1</source>
        <translation>主成分 1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Principal axis 2</source>
        <translation>主成分 2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>2-D map of the texts</source>
        <translation>文本的二维分布图</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Texts the model finds similar are close together; colours are groups</source>
        <translation>模型认为相似的文本靠得更近；颜色表示分组</translation>
    </message>
</context>
<context>
    <name>PairPane</name>
    <message>
        <location filename="../../sfdesk/ui/embeddings/pair.py" line="+58"/>
        <source>Click a cell of the heatmap to read its two texts here.</source>
        <translation>点击热力图中的单元格，可在此查看对应的两条文本。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Texts %1 and %2: cosine similarity %3</source>
        <translation>文本 %1 与文本 %2：余弦相似度 %3</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>First text of the pair</source>
        <translation>文本对中的第一条</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Second text of the pair</source>
        <translation>文本对中的第二条</translation>
    </message>
</context>
<context>
    <name>Panels</name>
    <message>
        <location filename="../../sfdesk/ui/placeholders.py" line="+31"/>
        <location line="+1"/>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Talk with chat models and watch the answers stream in, including the reasoning of thinking models. Tune the parameters, keep your conversations, and see token usage for every reply.</source>
        <translation>与对话模型交流，实时查看流式输出的回答，包括思考模型的推理过程。可以调整参数、保存对话，并查看每条回复的 token 用量。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Embeddings</source>
        <translation>嵌入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Embeddings similarity</source>
        <translation>嵌入相似度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enter a few texts, one per line, and see as a heat map how similar an embedding model finds each pair. Handy for choosing a model for search or clustering.</source>
        <translation>输入几段文本（每行一段），用热力图查看嵌入模型认为每两段文本有多相似。便于为搜索或聚类挑选合适的模型。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Rerank</source>
        <translation>重排序</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rerank comparison</source>
        <translation>重排序对比</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rank a list of documents against a query with one or more rerank models side by side, and see where the models agree and where they differ.</source>
        <translation>针对同一个查询，用一个或多个重排序模型并排给一组文档排序，看看各模型在哪些地方一致、在哪些地方不同。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Image generation</source>
        <translation>图像生成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Describe a picture and have an image model draw it. Results stay in a gallery together with their prompt, size and seed.</source>
        <translation>描述一幅画面，让图像模型把它画出来。生成结果会连同提示词、尺寸和种子一起保存在图库中。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Transcription</source>
        <translation>语音转写</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Microphone transcription</source>
        <translation>麦克风语音转写</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record from your microphone or import an audio file, and turn the speech into text you can copy.</source>
        <translation>通过麦克风录音或导入音频文件，把语音转成可以复制的文字。</translation>
    </message>
</context>
<context>
    <name>ParametersBox</name>
    <message>
        <location filename="../../sfdesk/ui/rerank/params.py" line="+110"/>
        <source>Long documents are read in chunks of about %1 tokens and score as their best chunk. Sent only to: %2.</source>
        <extracomment>The largest top_n offered (the API documents no maximum; more documents than this make no readable column anyway). A value changed (any of the four).</extracomment>
        <translation>长文档按约 %1 个 token 分块读取，文档得分取最佳分块的得分。仅发送给：%2。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>These models split a long document into chunks of about %1 tokens, score each chunk against the query, and give the document its best chunk&apos;s score.
max_chunks_per_doc: how many chunks of each document are read at most (default %2); text beyond them does not count.
overlap_tokens (0–80, default %3): how many tokens neighbouring chunks share, so a sentence cut at a chunk boundary is still read whole in one of them.</source>
        <translation>这些模型把长文档切成约 %1 个 token 的分块，逐块与查询打分，文档得分取最佳分块的得分。
max_chunks_per_doc：每个文档最多读取的分块数（默认 %2）；超出部分不计入得分。
overlap_tokens（0–80，默认 %3）：相邻分块共享的 token 数，使在分块边界被切断的句子仍能在其中一块里被完整读到。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>top_&amp;n:</source>
        <translation>top_&amp;n：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How many of the best documents to return</source>
        <translation>返回排名最前的几个文档</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Return only the best n documents; All returns every one</source>
        <translation>只返回排名前 n 的文档；“全部”返回所有文档</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>return_documents</source>
        <translation>return_documents</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Return the documents with the scores</source>
        <translation>随得分返回文档内容</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ask the server to send each document&apos;s text back with its score</source>
        <translation>让服务器在每个得分旁返回该文档的文本</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>max_&amp;chunks_per_doc:</source>
        <translation>max_&amp;chunks_per_doc：</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+5"/>
        <source>Default (%1)</source>
        <translation>默认（%1）</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Most chunks read per document</source>
        <translation>每个文档最多读取的分块数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;overlap_tokens:</source>
        <translation>&amp;overlap_tokens：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tokens shared by neighbouring chunks</source>
        <translation>相邻分块共享的 token 数</translation>
    </message>
</context>
<context>
    <name>ParamsForm</name>
    <message>
        <location filename="../../sfdesk/ui/images/params.py" line="+183"/>
        <source>“%1” is not an image size. Type it as width×height, e.g. 1024x1024, each side between 64 and 2048 pixels.</source>
        <translation>“%1”不是有效的图像尺寸。请按“宽×高”输入，例如 1024x1024，每边 64 到 2048 像素。</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>Negative prompt</source>
        <translation>反向提示词</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size</source>
        <translation>尺寸</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Images</source>
        <translation>张数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Guidance scale</source>
        <translation>引导系数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CFG</source>
        <translation>CFG</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>What the image should not show (optional)</source>
        <translation>图像中不希望出现的内容（可选）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This model keeps the aspect ratio of the reference image.</source>
        <translation>该模型的输出沿用参考图的宽高比。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The sizes this model recommends; another width×height can be typed.</source>
        <translation>该模型推荐的尺寸；也可以手动输入其他“宽×高”。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How many images one request makes (1–4).</source>
        <translation>一次请求生成的图像数量（1–4）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>More steps: more detail, slower.</source>
        <translation>步数越多，细节越丰富，速度越慢。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How closely the image follows the prompt (0–20).</source>
        <translation>图像贴合提示词的程度（0–20）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How closely the image follows the prompt; above 1 to render text.</source>
        <translation>图像贴合提示词的程度；需要渲染文字时应大于 1。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The same seed and parameters give the same image.</source>
        <translation>相同的种子和参数会生成相同的图像。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lock</source>
        <translation>锁定</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keep this seed for every generation; unlocked, each one gets a new seed.</source>
        <translation>每次生成都使用这个种子；不锁定时每次都会换一个新种子。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A new random seed</source>
        <translation>换一个随机种子</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New random seed</source>
        <translation>新的随机种子</translation>
    </message>
</context>
<context>
    <name>PlaceholderPage</name>
    <message>
        <location filename="../../sfdesk/ui/placeholders.py" line="+74"/>
        <source>This panel arrives in a later version of sfdesk.</source>
        <translation>此面板将在 sfdesk 的后续版本中推出。</translation>
    </message>
</context>
<context>
    <name>PresetsDialog</name>
    <message>
        <location filename="../../sfdesk/ui/compare/presets.py" line="+122"/>
        <source>Column %1: %2</source>
        <translation>第 %1 列：%2</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1 version(s)</source>
        <translation>%1 个版本</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>v%1 %2</source>
        <translation>v%1 %2</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The two versions are the same.</source>
        <translation>这两个版本完全相同。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>System prompt:</source>
        <translation>系统提示词：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User prompt:</source>
        <translation>用户提示词：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parameters:</source>
        <translation>参数：</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Choose a column and type a name for the preset.</source>
        <translation>请选择一列并为预设输入名称。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The presets could not be saved (see the log).</source>
        <translation>无法保存预设（详见日志）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Saved “%1” as version %2.</source>
        <translation>已将“%1”保存为第 %2 版。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Choose one version and the column to load it into.</source>
        <translation>请选择一个版本以及要载入的列。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Loaded version %1 into column %2.</source>
        <translation>已将第 %1 版载入第 %2 列。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Prompt presets</source>
        <translation>提示词预设</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Presets, their versions (choose two to see what changed), and a version:</source>
        <translation>预设、其版本（选择两个版本可查看差异）以及版本内容：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>what changed (optional)</source>
        <translation>改了什么（可选）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save column as preset</source>
        <translation>将该列保存为预设</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Load into column</source>
        <translation>载入到列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete preset</source>
        <translation>删除预设</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Presets</source>
        <translation>预设</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Versions</source>
        <translation>版本</translation>
    </message>
</context>
<context>
    <name>RankColumn</name>
    <message>
        <location filename="../../sfdesk/ui/rerank/results.py" line="+386"/>
        <source>Rank %1: document %2, score %3</source>
        <extracomment>Wide enough for a score bar, two arrows and a few words of each document.</extracomment>
        <translation>第 %1 名：文档 %2，得分 %3</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>input order</source>
        <translation>输入顺序</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>cosine baseline</source>
        <translation>余弦基线</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Returned by the server: %1</source>
        <translation>服务器返回：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>up %1 from the %2</source>
        <translation>比%2上升 %1 位</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>down %1 from the %2</source>
        <translation>比%2下降 %1 位</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>same place as in the %1</source>
        <translation>与%1中位置相同</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Cosine baseline · %1</source>
        <translation>余弦基线 · %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 embeds the query and the documents; documents are ranked by cosine similarity to the query. A reranker reads query and document together, which is what it adds over this.</source>
        <translation>%1 分别为查询和文档生成向量，文档按与查询的余弦相似度排序。重排序模型则把查询和文档放在一起阅读，这正是它比向量检索多出的能力。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Documents ranked by %1</source>
        <translation>%1 给出的文档排名</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Status of %1</source>
        <translation>%1 的状态</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tokens: %1</source>
        <translation>Token：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>from cache: %1</source>
        <translation>来自缓存：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Waiting for the answer…</source>
        <translation>正在等待结果…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancelled before it answered.</source>
        <translation>在返回结果前已取消。</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>A document may be too long for this model: the longest here is document %1, about %2 tokens.</source>
        <translation>可能有文档对该模型来说过长：最长的是文档 %1，约 %2 个 token。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A document may be too long: %1 reads about %2 tokens of each; the longest here is document %3, about %4 tokens.</source>
        <translation>可能有文档过长：%1 每个文档约读取 %2 个 token；最长的是文档 %3，约 %4 个 token。</translation>
    </message>
</context>
<context>
    <name>RankingTable</name>
    <message>
        <location filename="../../sfdesk/ui/embeddings/ranking.py" line="+120"/>
        <source>Rank</source>
        <translation>排名</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Similarity</source>
        <translation>相似度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Texts ranked by similarity to the query</source>
        <translation>按与查询的相似度排序的文本</translation>
    </message>
</context>
<context>
    <name>ReferenceBar</name>
    <message>
        <location filename="../../sfdesk/ui/images/panel.py" line="-533"/>
        <source>This model takes no reference image.</source>
        <extracomment>The elapsed time in the status line is refreshed this often while work runs.</extracomment>
        <translation>该模型不接受参考图。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This model takes at most %1 reference image(s).</source>
        <translation>该模型最多接受 %1 张参考图。</translation>
    </message>
</context>
<context>
    <name>RerankPanel</name>
    <message>
        <location filename="../../sfdesk/ui/rerank/export.py" line="+25"/>
        <source>Rankings as CSV…</source>
        <translation>排名导出为 CSV…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Everything as JSON…</source>
        <translation>全部导出为 JSON…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../sfdesk/ui/rerank/panel.py" line="+425"/>
        <source>Export</source>
        <extracomment>Characters of a run&apos;s query shown in its history entry (the tooltip has all of it). The last finished (or restored) run; what export and the stale check refer to. The columns of the run on screen as they arrive (None: not yet). The run history as last listed, newest first; None when it cannot be opened.</extracomment>
        <translation>导出</translation>
    </message>
    <message>
        <location line="+159"/>
        <source>%1 takes an instruction that describes the task.</source>
        <translation>%1 可接受描述任务的指令。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 splits long documents into chunks and scores each by its best chunk.</source>
        <translation>%1 会把长文档分块，并以最佳分块的得分作为文档得分。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Sent only to: %1</source>
        <translation>仅发送给：%1</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>%1: document %2 is about %3 tokens, but with these chunking settings only its first ~%4 are read; the rest does not count toward its score.</source>
        <translation>%1：文档 %2 约有 %3 个 token，但按当前分块设置只读取前约 %4 个；其余部分不计入得分。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1: document %2 is about %3 tokens, more than the ~%4 this model reads with the query; the server may refuse it.</source>
        <translation>%1：文档 %2 约有 %3 个 token，超过该模型连同查询能读取的约 %4 个；服务器可能会拒绝。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>(%1 documents in all)</source>
        <translation>（共 %1 个文档）</translation>
    </message>
    <message>
        <location line="+17"/>
        <location line="+31"/>
        <source>%1 (cosine)</source>
        <translation>%1（余弦）</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>Document %1: %2</source>
        <translation>文档 %1：%2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Ranks: %1</source>
        <translation>名次：%1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The last %1 runs, newest first, kept after sfdesk closes. Double-click one to show it again (nothing is sent); Delete removes the selected runs.</source>
        <translation>最近 %1 次运行，最新的在前，关闭 sfdesk 后仍会保留。双击可重新显示（不会发送请求）；按 Delete 删除所选记录。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 · %2 · documents: %3 · query: %4</source>
        <translation>%1 · %2 · 文档：%3 · 查询：%4</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Query: %1</source>
        <translation>查询：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>… and %1 more</source>
        <translation>… 另有 %1 个</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tokens: %1</source>
        <translation>Token：%1</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>&amp;Query:</source>
        <translation>查询(&amp;Q)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What the documents should answer or match</source>
        <translation>文档应回答或匹配的内容</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Query</source>
        <translation>查询</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Instruction:</source>
        <translation>指令(&amp;I)：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Optional: describe the task, e.g. “Given a question, find passages that answer it”</source>
        <translation>可选：描述任务，例如“给定一个问题，找出回答该问题的段落”</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Instruction for the Qwen3 rerankers</source>
        <translation>给 Qwen3 重排序模型的指令</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rank the documents with every chosen model (Ctrl+Enter)</source>
        <translation>用每个选中的模型给文档排序（Ctrl+Enter）</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop the requests under way (Esc)</source>
        <translation>停止进行中的请求（Esc）</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>View code</source>
        <translation>查看代码</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The request of the first chosen model as curl and Python (no API key)</source>
        <translation>以 curl 和 Python 显示第一个选中模型的请求（不含 API 密钥）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Rerank &amp;models (up to %1):</source>
        <translation>重排序模型(&amp;M)（最多 %1 个）：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rerank models to compare</source>
        <translation>要比较的重排序模型</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cosine baseline:</source>
        <translation>余弦基线：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add a cosine-similarity baseline</source>
        <translation>添加余弦相似度基线</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Also rank the documents by the cosine similarity of their embeddings to the query&apos;s: what a plain vector search would return</source>
        <translation>同时按文档向量与查询向量的余弦相似度排序：即普通向量检索会返回的结果</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Embedding model of the baseline</source>
        <translation>基线使用的嵌入模型</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>▲ up, ▼ down, = unchanged: how many places a document moved against the input order; in a box, against the cosine baseline. Click a document to highlight it in every column.</source>
        <translation>▲ 上升，▼ 下降，= 不变：文档相对输入顺序移动了几位；带框的表示相对余弦基线。点击某个文档可在所有列中高亮它。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Highlighted document</source>
        <translation>高亮的文档</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Results and history</source>
        <translation>结果与历史</translation>
    </message>
</context>
<context>
    <name>RerankStatus</name>
    <message>
        <location filename="../../sfdesk/ui/rerank/status.py" line="+32"/>
        <source>Type a query, enter documents (one per line) or pick an example set, choose up to %1 rerank models, then press Run (Ctrl+Enter).</source>
        <translation>输入查询和文档（每行一个）或选择示例集，选择最多 %1 个重排序模型，然后按“运行”（Ctrl+Enter）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Type a query first: the documents are ranked by how well they match it.</source>
        <translation>请先输入查询：文档将按与查询的匹配程度排序。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No documents to rank: enter at least one, one per line.</source>
        <translation>没有要排序的文档：请至少输入一个，每行一个。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pick at least one rerank model to run.</source>
        <translation>请至少选择一个重排序模型再运行。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>At most %1 rerank models can be compared at once; uncheck one first.</source>
        <translation>一次最多比较 %1 个重排序模型；请先取消勾选一个。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancelled. Columns that had already answered are kept.</source>
        <translation>已取消。已返回结果的列会保留。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nothing to export yet: run a comparison first.</source>
        <translation>暂无可导出的内容：请先运行一次比较。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>That run is no longer in the history.</source>
        <translation>该运行记录已不在历史中。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ranking %1 document(s) with %2 model(s)…</source>
        <translation>正在用 %2 个模型为 %1 个文档排序…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Example set “%1” loaded. Press Run to compare.</source>
        <translation>已载入示例集“%1”。按“运行”开始比较。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Imported %1 document(s) from %2.</source>
        <translation>已从 %2 导入 %1 个文档。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Saved %1.</source>
        <translation>已保存 %1。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Could not save %1: %2</source>
        <translation>无法保存 %1：%2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 of %2 column(s) answered</source>
        <translation>%2 列中有 %1 列返回了结果</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Documents: %1</source>
        <translation>文档：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tokens: %1</source>
        <translation>Token：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>From the history</source>
        <translation>来自历史记录</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Time: %1 s</source>
        <translation>用时：%1 秒</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 failed: its column says why</source>
        <translation>%1 个失败：原因见对应的列</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 holds no documents.</source>
        <translation>%1 中没有文档。</translation>
    </message>
</context>
<context>
    <name>ResultStrip</name>
    <message>
        <location filename="../../sfdesk/ui/images/results.py" line="+94"/>
        <source>The images you generate appear here. Click one to see it at full size.</source>
        <translation>生成的图像会显示在这里。点击可查看原始大小。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Click to see it at full size</source>
        <translation>点击查看原始大小</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Generated image %1</source>
        <translation>生成的图像 %1</translation>
    </message>
</context>
<context>
    <name>ResultsView</name>
    <message>
        <location filename="../../sfdesk/ui/rerank/results.py" line="+96"/>
        <source>Rankings, one column per model</source>
        <extracomment>A document was clicked in one column and is now highlighted in all of them (-1: none).</extracomment>
        <translation>排名，每个模型一列</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Each model&apos;s ranking appears here, side by side, when you press Run.</source>
        <translation>按“运行”后，各模型的排名会并排显示在这里。</translation>
    </message>
</context>
<context>
    <name>RunHistoryView</name>
    <message>
        <location filename="../../sfdesk/ui/run_history_view.py" line="+116"/>
        <source>The run history could not be opened, so runs are not being saved.</source>
        <extracomment>One entry: the run&apos;s id, the line shown, its tooltip.</extracomment>
        <translation>无法打开运行历史，因此不会保存运行记录。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Run history</source>
        <translation>运行历史</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show again</source>
        <translation>重新显示</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../sfdesk/ui/settings_dialog.py" line="+203"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connected to %1 (%2)</source>
        <translation>已连接到 %1（%2）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Change site or API key…</source>
        <translation>更改站点或 API 密钥…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change site or API key</source>
        <translation>更改站点或 API 密钥</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The sandbox uses its own key; restart without --sandbox to change it.</source>
        <translation>沙盒使用自带的密钥；如需更改，请去掉 --sandbox 参数重新启动。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+4"/>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Theme:</source>
        <translation>主题(&amp;T)：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>C&amp;onnect timeout:</source>
        <translation>连接超时(&amp;O)：</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Connect timeout</source>
        <translation>连接超时</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Request timeout:</source>
        <translation>请求超时(&amp;R)：</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Request timeout</source>
        <translation>请求超时</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Pause allowed in a stream:</source>
        <translation>流式输出最长停顿(&amp;P)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Longest pause allowed in a streamed answer</source>
        <translation>流式回答中允许的最长停顿</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Images and &amp;audio timeout:</source>
        <translation>图像与音频超时(&amp;A)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Timeout for image generation and transcription</source>
        <translation>图像生成与语音转写的超时时间</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> s</source>
        <comment>unit suffix of a duration in seconds</comment>
        <translation> 秒</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Retr&amp;ies:</source>
        <translation>重试次数(&amp;I)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retries after a failed request</source>
        <translation>请求失败后的重试次数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>How many times to retry when the server is busy, rate-limits or cannot be reached. Rejected requests (wrong key, bad parameters) are never retried.</source>
        <translation>服务器繁忙、触发限流或无法连接时的重试次数。被拒绝的请求（如密钥错误、参数错误）不会重试。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Restore defaults</source>
        <translation>恢复默认值</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../../sfdesk/ui/status_bar.py" line="+119"/>
        <source>API base URL: %1</source>
        <translation>API 地址：%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No API key — connect…</source>
        <translation>未设置 API 密钥 — 点此连接…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter an API key to use SiliconFlow.</source>
        <translation>输入 API 密钥后即可使用硅基流动。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Balance: checking…</source>
        <translation>余额：查询中…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Balance: %1</source>
        <translation>余额：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Gift balance: %1</source>
        <translation>赠送余额：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Charged balance: %1</source>
        <translation>充值余额：%1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Balance unavailable: %1</source>
        <translation>无法获取余额：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Account balance</source>
        <translation>账户余额</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>SANDBOX</source>
        <translation>沙盒</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connected to the built-in sandbox: answers are synthetic, nothing is billed.</source>
        <translation>已连接内置沙盒：回答均为模拟生成，不产生任何费用。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sandbox mode</source>
        <translation>沙盒模式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Provider</source>
        <translation>服务提供方</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+7"/>
        <source>Key in memory only</source>
        <translation>密钥仅存于内存</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>No system keyring is available, so the API key is kept in memory for this session only and will be asked for again next time.</source>
        <translation>系统密钥环不可用，API 密钥仅在本次会话中保存在内存里，下次启动时需要重新输入。</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+7"/>
        <source>Key from SILICONFLOW_API_KEY</source>
        <translation>密钥来自 SILICONFLOW_API_KEY</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>The API key comes from the SILICONFLOW_API_KEY environment variable; it is used for this run and not stored.</source>
        <translation>API 密钥来自环境变量 SILICONFLOW_API_KEY，仅在本次运行中使用，不会被保存。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Refresh the account balance</source>
        <translation>刷新账户余额</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <location filename="../../sfdesk/ui/embeddings/status.py" line="+42"/>
        <source>Enter texts (one per line) or pick an example set, then press Run (Ctrl+Enter).</source>
        <translation>输入文本（每行一条）或选择示例集，然后点击“运行”（Ctrl+Enter）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nothing to embed: enter at least one text, one per line.</source>
        <translation>没有可向量化的文本：请至少输入一条，每行一条。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type a query first, then press Enter.</source>
        <translation>请先输入查询，再按回车。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pick a second model (or other dimensions) to compare with.</source>
        <translation>请选择另一个模型（或不同的维度）进行对比。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nothing to export yet: run the texts first.</source>
        <translation>暂无可导出的内容：请先运行。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancelled. Vectors that had already arrived are kept in the cache.</source>
        <translation>已取消。已返回的向量会保留在缓存中。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>That run is no longer in the history.</source>
        <translation>该运行已不在历史中。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Embedding the texts with %1…</source>
        <translation>正在用 %1 向量化文本…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Embedding the query…</source>
        <translation>正在向量化查询…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Embedding the texts with both models…</source>
        <translation>正在用两个模型向量化文本…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Showing the run from the history again…</source>
        <translation>正在重新显示历史中的运行…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Example set “%1” loaded. Press Run to see it.</source>
        <translation>已载入示例集“%1”。点击“运行”查看结果。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Imported %1 text(s) from %2.</source>
        <translation>已从 %2 导入 %1 条文本。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Saved %1.</source>
        <translation>已保存到 %1。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Could not save %1: %2</source>
        <translation>无法保存 %1：%2</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Texts: %1</source>
        <translation>文本数：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+36"/>
        <source>Tokens: %1</source>
        <translation>Token 用量：%1</translation>
    </message>
    <message>
        <location line="-35"/>
        <source>from cache: %1</source>
        <translation>来自缓存：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time: %1 s</source>
        <translation>耗时：%1 秒</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>From the history</source>
        <translation>来自历史</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>duplicates: %1 (each distinct text is embedded once)</source>
        <translation>重复：%1 条（相同文本只向量化一次）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Ranked %1 text(s) by similarity to the query.</source>
        <translation>已按与查询的相似度对 %1 条文本排序。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Closest: text %1 (%2).</source>
        <translation>最接近：文本 %1（%2）。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Compared %1 and %2 on %3 text(s)</source>
        <translation>已在 %3 条文本上对比 %1 与 %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>mean Spearman ρ %1</source>
        <translation>平均 Spearman ρ %1</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>A text may be too long: %1 reads at most %2 tokens per text; the longest here is text %3, about %4 tokens.</source>
        <translation>可能有文本过长：%1 每条文本最多支持 %2 个 token；这里最长的是文本 %3，约 %4 个 token。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 holds no texts.</source>
        <translation>%1 中没有文本。</translation>
    </message>
</context>
<context>
    <name>StatusLineBase</name>
    <message>
        <location filename="../../sfdesk/ui/status_line.py" line="+44"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>TextsEditor</name>
    <message>
        <location filename="../../sfdesk/ui/embeddings/texts_editor.py" line="+100"/>
        <source>Texts: %1</source>
        <extracomment>The count line is refreshed this long after the last keystroke (parsing a few thousand lines on every key would make typing lag). The texts changed (after typing pauses, or at once when replaced).</extracomment>
        <translation>文本数：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>duplicates: %1 (each distinct text is embedded once)</source>
        <translation>重复：%1 条（相同文本只向量化一次）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>groups: %1</source>
        <translation>分组：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>changed since the last run</source>
        <translation>自上次运行后已修改</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+33"/>
        <source>Import texts</source>
        <translation>导入文本</translation>
    </message>
    <message>
        <location line="-31"/>
        <source>Texts (%1)</source>
        <translation>文本文件 (%1)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Example sets…</source>
        <translation>示例集…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Example sets</source>
        <translation>示例集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Put a ready-made set of texts in the editor</source>
        <translation>把一组现成的文本填入编辑器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Texts from a .txt, .csv, .tsv, .jsonl or .json file</source>
        <translation>从 .txt、.csv、.tsv、.jsonl 或 .json 文件导入文本</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>One text per line.
Optional group tag in front: [fruit] apple
Then press Run (Ctrl+Enter).</source>
        <translation>每行一条文本。
可在行首加分组标签：[水果] 苹果
然后点击“运行”（Ctrl+Enter）。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Texts to compare, one per line</source>
        <translation>待比较的文本，每行一条</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text count</source>
        <translation>文本计数</translation>
    </message>
</context>
<context>
    <name>TranscribePanel</name>
    <message>
        <location filename="../../sfdesk/ui/transcribe/panel.py" line="+69"/>
        <source>Text (.txt)…</source>
        <translation>文本 (.txt)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text (*.txt)</source>
        <translation>文本 (*.txt)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Subtitles (.srt)…</source>
        <translation>字幕 (.srt)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SubRip subtitles (*.srt)</source>
        <translation>SubRip 字幕 (*.srt)</translation>
    </message>
    <message>
        <location line="+215"/>
        <source>Import audio</source>
        <extracomment>Edits of a saved transcript are written this long after typing stops. The history entry the transcript belongs to (edits are saved to it). Why recording is impossible (AudioUnavailable), or None.</extracomment>
        <translation>导入音频</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Audio (%1)</source>
        <translation>音频 (%1)</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Export the transcript</source>
        <translation>导出转写文本</translation>
    </message>
    <message>
        <location line="+82"/>
        <location line="+198"/>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <location line="-118"/>
        <source>Every recording and imported file, newest first, with its audio. Double-click one to show its transcript.</source>
        <translation>所有录音和导入的文件（最新的在前），连同其音频。双击可查看转写文本。</translation>
    </message>
    <message>
        <location line="+16"/>
        <location line="+99"/>
        <location line="+1"/>
        <source>Microphone</source>
        <translation>麦克风</translation>
    </message>
    <message>
        <location line="-98"/>
        <source>Source: %1</source>
        <translation>来源：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model: %1</source>
        <translation>模型：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Edited by hand</source>
        <translation>已手动编辑</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No audio kept</source>
        <translation>未保留音频</translation>
    </message>
    <message>
        <location line="+95"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Look for microphones again</source>
        <translation>重新查找麦克风</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Speech-to-text model</source>
        <translation>语音转文字模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record</source>
        <translation>录音</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start recording (Ctrl+R)</source>
        <translation>开始录音（Ctrl+R）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop; what was said is still transcribed (Esc)</source>
        <translation>停止；已说的内容仍会转写（Esc）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hold to talk</source>
        <translation>按住说话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Records while held (or hold F9)</source>
        <translation>按住时录音（或按住 F9）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Transcribe an audio file (or drop it here)</source>
        <translation>转写一个音频文件（也可拖放到这里）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recording time</source>
        <translation>录音时长</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send to chat</source>
        <translation>发送到对话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Put the transcript in the Chat tab&apos;s input</source>
        <translation>把转写文本放入“对话”页的输入框</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Play the chosen recording</source>
        <translation>播放所选录音</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop playing</source>
        <translation>停止播放</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Transcribe again</source>
        <translation>重新转写</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Send the chosen recording&apos;s audio again, with the model chosen above</source>
        <translation>用上方选择的模型重新转写所选录音的音频</translation>
    </message>
</context>
<context>
    <name>TranscribeStatus</name>
    <message>
        <location filename="../../sfdesk/ui/transcribe/status.py" line="+34"/>
        <source>Choose a microphone and press Record (Ctrl+R), or hold F9 to talk. Text appears at each pause. Audio files can be imported or dropped here.</source>
        <translation>选择麦克风并点击“录音”（Ctrl+R），或按住 F9 说话。每次停顿后文字就会出现。也可以导入或拖放音频文件到这里。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Recording needs the PortAudio library, which is not installed. On Debian or Ubuntu: sudo apt install libportaudio2, then restart sfdesk. Importing audio files still works.</source>
        <translation>录音需要 PortAudio 库，但它尚未安装。Debian 或 Ubuntu 上请运行：sudo apt install libportaudio2，然后重启 sfdesk。导入音频文件仍可使用。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No microphone was found. Connect one and press Refresh. Importing audio files still works.</source>
        <translation>没有找到麦克风。请连接麦克风后点击“刷新”。导入音频文件仍可使用。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Opening the microphone…</source>
        <translation>正在打开麦克风…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Transcript copied to the clipboard.</source>
        <translation>转写文本已复制到剪贴板。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Transcript sent to the Chat tab&apos;s input.</source>
        <translation>转写文本已放入“对话”页的输入框。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no transcript yet.</source>
        <translation>还没有转写文本。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The microphone could not be opened: %1</source>
        <translation>无法打开麦克风：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Recording… %1 (Esc stops)</source>
        <translation>正在录音… %1（Esc 停止）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 chunk(s) being transcribed</source>
        <translation>%1 段正在转写</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Finishing: %1 chunk(s) left to transcribe…</source>
        <translation>收尾中：还剩 %1 段待转写…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Transcribing %1… %2 chunk(s) to go</source>
        <translation>正在转写 %1… 还剩 %2 段</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 is not an audio file the service takes (wav, mp3, m4a, flac, ogg, opus, webm).</source>
        <translation>%1 不是服务支持的音频文件（wav、mp3、m4a、flac、ogg、opus、webm）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 is larger than the 50 MB the service takes. Convert it to WAV: WAV files are cut into small chunks here.</source>
        <translation>%1 超过了服务允许的 50 MB。请转换为 WAV：WAV 文件会在本地被切分成小段。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 could not be read.</source>
        <translation>无法读取 %1。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Saved to %1.</source>
        <translation>已保存到 %1。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Could not save %1: %2</source>
        <translation>无法保存 %1：%2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The recording cannot be played here: %1</source>
        <translation>无法在这里播放该录音：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Transcribed %1 of audio in %2 chunk(s).</source>
        <translation>已转写 %1 的音频，共 %2 段。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Nothing was said: no chunk had speech to transcribe.</source>
        <translation>没有检测到说话：没有可转写的语音片段。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 chunk(s) failed (%2). The audio is kept: use Transcribe again in the history.</source>
        <translation>有 %1 段转写失败（%2）。音频已保留：可在历史记录中“重新转写”。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The recording stopped at the one-hour limit.</source>
        <translation>录音已达到一小时上限并自动停止。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The microphone stopped delivering audio (unplugged?).</source>
        <translation>麦克风不再传来音频（是否已拔出？）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The history could not keep it: copy or export the text.</source>
        <translation>历史记录无法保存它：请复制或导出文本。</translation>
    </message>
</context>
<context>
    <name>TranscriptView</name>
    <message>
        <location filename="../../sfdesk/ui/transcribe/transcript.py" line="+225"/>
        <source>The transcript appears here as you speak. You can edit it.</source>
        <extracomment>A piece whose end is unknown (a line stamped by hand, the last one) lasts this long.</extracomment>
        <translation>说话时转写文本会显示在这里，可直接编辑。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Transcript</source>
        <translation>转写文本</translation>
    </message>
</context>
<context>
    <name>WaveformView</name>
    <message>
        <location filename="../../sfdesk/ui/transcribe/meters.py" line="+130"/>
        <source>Waveform</source>
        <translation>波形</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The last seconds of microphone input</source>
        <translation>麦克风最近几秒的输入</translation>
    </message>
</context>
</TS>
