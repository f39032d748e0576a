/**
 * The on-screen help: one short page per screen (what it is for and what one does there), the yearly
 * calendar and what each status means. Which page a screen's help is, is read from its address.
 */

export interface HelpTopic {
  title: string;
  /** what the screen is for, in a sentence or two */
  purpose: string;
  /** what one does there, step by step or point by point */
  points: string[];
}

export const HELP_TOPICS = {
  home: {
    title: 'ホーム',
    purpose:
      'いまあなたが対応すること（回答の入力、差戻しの修正、提出された回答の確認、審議会の意見への回答など）を、期限の近い順に並べた画面です。',
    points: [
      '項目を選ぶと、その作業の画面が開きます。',
      '「確認待ち」は提出された回答の一覧を、提出済みに絞り込んで開きます。',
      '何も表示されていなければ、いま対応が必要なものはありません。',
    ],
  },
  rounds: {
    title: '照会',
    purpose:
      '計画所管課が各課に進捗を尋ねる「照会」の一覧です。計画所管課はここで新しい照会を始め、各課はここから自分の課の回答シートを開きます。',
    points: [
      '照会を始めるときは、計画・年度・時期・回答期限・照会先の課を選びます。年度は次に行う年度が入っています。',
      '照会を始めると、照会先の課が担当する事業ごとに回答欄が作られ、前年度の「翌年度予定」が「事業予定」に引き継がれます。',
      '回答受付中の照会は一つの計画に一つだけです。',
    ],
  },
  board: {
    title: '照会の状況',
    purpose: '一つの照会について、課ごとの回答の状態（未着手・入力中・提出済・差戻し・確定）の件数を見る画面です。',
    points: [
      '対応が必要な課（確認待ちの回答がある課、期限が近いのに未提出の回答がある課）が上に並び、「対応が必要なこと」の欄に内容が書かれます。',
      '課名で検索し、状態で絞り込み、並び順を変えられます。絞り込みはアドレスに残るので、再読み込みしても同じ表示になります。',
      '「確認する」でその課の提出済みの回答を、「回答シートを開く」でその課のシートを開きます。',
      '照会を始めた後に加わった事業に回答欄がないときは「回答票のない事業があります」と表示され、その場で回答欄を追加できます。',
      'メールの送信が設定されていれば、未提出の課の入力者に督促メールを送れます。',
    ],
  },
  review: {
    title: '回答の確認',
    purpose: '提出された回答を一覧で確認し、確定するか差し戻す画面です。',
    points: [
      '状態・課・評価・コメントの有無などで絞り込めます。↑↓キーで行を移り、Enterキーで詳細を開きます。',
      '前回の提出から変わった項目が一覧に表示されます。',
      '複数の回答を選んでまとめて確定・差戻しできます。まとめて行った操作は、しばらくの間「元に戻す」で取り消せます。',
    ],
  },
  sheet: {
    title: '回答シート',
    purpose: '一つの課が、照会された事業ごとに事業予定・実績・評価・翌年度予定を入力する画面です。',
    points: [
      '入力は数秒ごとに自動で保存されます。「保存しました」と表示されれば保存済みです。',
      '事業が多いときは「事業を検索」で番号・事業名・体系・課名から探せます。',
      'すべての事業を入力したら「この課の回答を提出する」を押します。提出後は差し戻されるまで編集できません。',
      '同じ回答を別の人が先に保存していたときは、両方の内容が表示され、項目ごとにどちらを残すか選べます。',
      'Excel でダウンロードして入力し、アップロードすることもできます。反映する前に変更点が表示されます。',
    ],
  },
  history: {
    title: '変更履歴',
    purpose: '一つの回答（事業・課・年度）について、いつ誰が何を変えたかを見る画面です。',
    points: [
      '同じ人が続けて保存した変更（前の保存から10分以内）は一つの版にまとめて表示します。保存ごとの記録も残っています。',
      '「前回の提出からの変更」で、差戻し後に何を直したかを確認できます。',
    ],
  },
  council: {
    title: '審議会',
    purpose: '確定した回答を事業ごとに読み、審議会の意見を書き込み、担当課が回答する画面です。',
    points: [
      '年度は照会を行った年度だけが選べ、確定した回答のある最新の年度で開きます。',
      '基本目標で絞り込み、番号・事業名・課名で検索できます。',
      '各事業に、実績・取組状況、翌年度予定、活動指標の目標と実績、評価が表示されます。',
      '意見は事業ごとに年度をまたいで残ります。',
    ],
  },
  reports: {
    title: '報告',
    purpose: '確定した回答から報告書を作り、画面で見る・印刷する・ファイルに書き出す・公表する画面です。',
    points: [
      '様式（レイアウト）・計画・年度・体系を選んで表示します。',
      '印刷は紙の大きさに合わせてページが分かれます。Excel・CSV でも書き出せます。',
      '公表すると、その時点の内容が公表ページに載ります。未確定の回答は、速報として含めると決めたときだけ載ります。',
    ],
  },
  summary: {
    title: '集計',
    purpose: '評価の件数と割合を、体系ごと・課ごとに前年度と比べて見る画面です。',
    points: [
      '指標ごとに、現状値から各年度の実績、最終目標までの推移を見られます。',
      'グラフにはデータの表が添えてあります。',
    ],
  },
  imports: {
    title: '取り込み',
    purpose: '過去の報告書や各課の回答を、Excel・CSV・貼り付けた表から取り込む画面です。',
    points: [
      '列の対応づけを選ぶと、保存される形の一覧が表示されます。合わない行には理由が示されます。',
      '合わない行を直すか除くまで、取り込みは行われません。',
    ],
  },
  plans: {
    title: '計画',
    purpose: '計画の一覧です。計画を作り、体系を開き、JSON で書き出し・読み込みができます。',
    points: ['計画を選ぶと、その体系（基本目標・施策・事業）の画面が開きます。'],
  },
  'plan-editor': {
    title: '計画の体系',
    purpose: '計画の体系（基本目標・施策などの項目と事業）を作り、並べ替え、事業の担当課や指標を設定する画面です。',
    points: [
      '「体系を検索」で番号・名称・課名から項目や事業を探せます。Escキーで検索を消します。',
      'ツリーは↑↓キーで移動し、→←キーで開閉し、Enterキーで右側に内容を表示します。Alt+↑／Alt+↓で項目を移動できます。',
      '追加・保存・移動の結果は画面の下に表示されます。移動は「元に戻す」で取り消せます。',
      '番号が変わる操作の前には、振り直すか今の番号を残すかを尋ねます。',
      '回答のある項目や事業は削除せずにアーカイブされ、過去の報告には残ります。',
    ],
  },
  'evaluation-settings': {
    title: '評価の方法',
    purpose: '計画の評価の項目（自己評価・所管課評価など）と尺度を、年度ごとに設定する画面です。',
    points: ['確定・公表した年度に使った設定は変えられません。変更は翌年度からの版として保存します。'],
  },
  evaluations: {
    title: '体系ごとの評価',
    purpose: '施策や基本目標、計画全体に対する評価とコメントを入力する画面です。',
    points: ['自分が入力できる評価の欄だけが入力できます。ほかの評価は参考として表示されます。'],
  },
  departments: {
    title: '組織',
    purpose: '部と課を登録し、名称変更や統合・分割などの組織変更を年度を指定して登録する画面です。',
    points: ['組織変更は、遅くともその年度の照会を始めるときに適用されます。適用される前なら取りやめられます。'],
  },
  users: {
    title: '利用者',
    purpose: '利用者を登録し、役割・所属課・メールアドレスを設定する画面です。',
    points: [
      '督促メールは、課の入力者のメールアドレスに届きます。メールアドレスのない課には届きません。',
      '初期パスワードは本人に伝えます。本人は最初のログインで自分のパスワードに変更します。',
    ],
  },
  audit: {
    title: '監査記録',
    purpose: 'だれがいつ何をしたか（ログイン、変更、提出、確定、公表など）の記録を見る画面です。',
    points: ['条件で絞り込み、CSV で書き出せます。'],
  },
  municipalities: {
    title: '自治体',
    purpose: 'システム管理者が自治体を登録する画面です。',
    points: ['自治体ごとに、計画所管課の利用者を登録します。'],
  },
  password: {
    title: 'パスワードの変更',
    purpose: '自分のパスワードを変更する画面です。',
    points: ['今のパスワードと新しいパスワードを入力します。新しいパスワードの条件は入力欄の下に表示されます。'],
  },
  general: {
    title: 'Shinchoku（進捗管理）',
    purpose: '計画の毎年度の進捗を、照会から公表まで一つの記録で管理するシステムです。',
    points: [
      '画面の右上の「ヘルプ」、または入力欄の外で ? キーか F1 キーを押すと、いま開いている画面のヘルプが開きます。',
    ],
  },
} satisfies Record<string, HelpTopic>;

export type HelpTopicKey = keyof typeof HELP_TOPICS;

export const isHelpTopic = (key: string): key is HelpTopicKey => Object.hasOwn(HELP_TOPICS, key);

/** Which screen an address shows, for its help. */
export function helpTopicOf(pathname: string): HelpTopicKey {
  const rules: [RegExp, HelpTopicKey][] = [
    [/^\/m\/\d+\/home$/, 'home'],
    [/^\/m\/\d+\/rounds$/, 'rounds'],
    [/^\/m\/\d+\/rounds\/\d+$/, 'board'],
    [/^\/m\/\d+\/rounds\/\d+\/review$/, 'review'],
    [/^\/m\/\d+\/rounds\/\d+\/departments\/\d+$/, 'sheet'],
    [/^\/m\/\d+\/records\/\d+\/history$/, 'history'],
    [/^\/m\/\d+\/council$/, 'council'],
    [/^\/m\/\d+\/reports$/, 'reports'],
    [/^\/m\/\d+\/summary$/, 'summary'],
    [/^\/m\/\d+\/imports$/, 'imports'],
    [/^\/m\/\d+\/plans$/, 'plans'],
    [/^\/m\/\d+\/plans\/\d+$/, 'plan-editor'],
    [/^\/m\/\d+\/plans\/\d+\/evaluation$/, 'evaluation-settings'],
    [/^\/m\/\d+\/evaluations(\/.*)?$/, 'evaluations'],
    [/^\/m\/\d+\/departments$/, 'departments'],
    [/^\/m\/\d+\/users$/, 'users'],
    [/^(\/m\/\d+|\/admin)\/audit$/, 'audit'],
    [/^\/admin\/municipalities$/, 'municipalities'],
    [/^\/account\/password$/, 'password'],
  ];
  return rules.find(([re]) => re.test(pathname.replace(/\/+$/, '')))?.[1] ?? 'general';
}

/** The year of a plan's progress, as this system carries it out. */
export const YEARLY_CALENDAR: { step: string; when: string; what: string }[] = [
  {
    step: '照会',
    when: '年度が終わった春（4〜5月ごろ）',
    what: '計画所管課が、前年度の実績を各課に尋ねる照会を始めます。回答欄は前年度の翌年度予定から作られます。',
  },
  {
    step: '回答',
    when: '回答期限まで',
    what: '各課が回答シートに実績・取組状況、指標の実績、評価、翌年度予定を入力し、提出します。',
  },
  {
    step: '確認',
    when: '提出を受けて',
    what: '計画所管課が回答を確認し、確定するか、理由を添えて差し戻します。差し戻された回答は各課が直して再び提出します。',
  },
  {
    step: '審議会',
    when: '確定の後（夏〜秋ごろ）',
    what: '審議会の委員が確定した回答を読み、事業ごとに意見を書きます。担当課が意見に回答します。',
  },
  {
    step: '公表',
    when: '審議会の後',
    what: '計画所管課が報告書を公表します。公表した版は公表ページに残り、後から取り下げることもできます。',
  },
];

/** What each status of an answer means. */
export const STATUS_MEANINGS: Record<'not_started' | 'draft' | 'submitted' | 'returned' | 'approved', string> = {
  not_started: '回答欄は作られたが、まだ何も保存されていない。',
  draft: '課が入力している途中。自動で保存され、提出するまで計画所管課の確認の対象にならない。',
  submitted: '課が提出し、計画所管課の確認を待っている。課はもう編集できない。',
  returned: '計画所管課が理由を添えて差し戻した。課が直して再び提出する。',
  approved: '計画所管課が確定した。報告・公表・審議会の対象になる。',
};
