import type { PlanExportInput } from '../../../domain/plan-export.js';
import type { ProjectCategory } from '../../../domain/schemas.js';
import { presetConfig } from '../../../domain/evaluation/presets.js';

/**
 * サンプル市 is fictional. Its plan is written for Shinchoku and shaped like real gender-equality
 * plans: four levels, plan-wide running numbers, sub-plans, cross-listing and shared projects.
 */
type P = [name: string, summary: string, departments: string[], category?: ProjectCategory, audience?: string];
type Measure = { title: string; projects: P[] };
type Direction = { title: string; measures: Measure[] };
type Issue = { title: string; subPlans?: string[]; priority?: boolean; directions: Direction[] };
type Goal = { title: string; description: string; subPlans?: string[]; issues: Issue[] };

export const WOMEN_PLAN = 'サンプル市女性活躍推進計画';
export const DV_PLAN = 'サンプル市DV防止基本計画';

const GOALS: Goal[] = [
  {
    title: '一人ひとりが尊重される意識づくり',
    description: '性別にかかわらず、互いを認めあう意識を家庭・学校・地域に広げます。',
    issues: [
      {
        title: '男女平等意識の啓発',
        directions: [
          {
            title: '固定的な役割分担意識の見直し',
            measures: [
              {
                title: '広報・啓発による意識の浸透',
                projects: [
                  [
                    '市報「さんぷる」での男女共同参画コラムの連載',
                    '市報に毎号コラムを掲載し、身近な話題から固定的な役割分担意識の見直しを呼びかけます。',
                    ['市民協働課'],
                    '継続',
                    '市民',
                  ],
                  [
                    '男女共同参画週間の啓発展示',
                    '男女共同参画週間に合わせて市役所ロビーと図書館で啓発パネルと関連図書を展示します。',
                    ['市民協働課', '図書館'],
                    '継続',
                    '市民',
                  ],
                ],
              },
              {
                title: '講座・学習機会の提供',
                projects: [
                  [
                    '男性のための家事・育児入門講座',
                    '料理・掃除・子どもの世話を実習で学び、家庭での分担を考える講座を開きます。',
                    ['市民協働課'],
                    '充実',
                    '市民（男性）',
                  ],
                  [
                    '市職員向けジェンダー平等研修',
                    '新任・管理職の階層別研修に、無意識の思い込みに気づくための単元を組み込みます。',
                    ['人事課'],
                    '新規',
                    '市職員',
                  ],
                ],
              },
            ],
          },
          {
            title: '情報の収集と提供',
            measures: [
              {
                title: '図書・資料の充実',
                projects: [
                  [
                    '男女共同参画関連図書の収集と貸出',
                    '関連図書を計画的に収集し、テーマ別の図書リストを配布します。',
                    ['図書館'],
                    '継続',
                    '市民',
                  ],
                  [
                    '市民意識調査の実施と公表',
                    '5年ごとに男女共同参画に関する市民意識調査を行い、結果を分かりやすく公表します。',
                    ['市民協働課'],
                    '継続',
                    '市民',
                  ],
                ],
              },
            ],
          },
        ],
      },
      {
        title: '教育・学習の充実',
        directions: [
          {
            title: '学校教育における男女平等教育',
            measures: [
              {
                title: '人権教育の推進',
                projects: [
                  [
                    '児童生徒向け人権教室',
                    '小中学校で外部講師による人権教室を開き、互いを尊重する心を育てます。',
                    ['学校教育課'],
                    '継続',
                    '児童・生徒',
                  ],
                  [
                    '教職員の男女平等教育研修',
                    '教職員が性の多様性や男女平等の視点を学ぶ研修を毎年行います。',
                    ['教育総務課'],
                    '継続',
                    '教職員',
                  ],
                ],
              },
              {
                title: '個性を尊重した進路指導',
                projects: [
                  [
                    '性別にとらわれない進路指導',
                    '職業体験や進路説明会で、性別にとらわれずに将来を選べるよう支援します。',
                    ['学校教育課'],
                    '継続',
                    '生徒',
                  ],
                ],
              },
            ],
          },
          {
            title: '生涯を通じた学習機会',
            measures: [
              {
                title: '地域での学習',
                projects: [
                  [
                    '公民館の男女共同参画講座',
                    '各公民館で年1回以上、男女共同参画をテーマにした講座を開きます。',
                    ['生涯学習課'],
                    '継続',
                    '市民',
                  ],
                  [
                    '親子で学ぶ家族の役割講座',
                    '親子で家事を体験しながら家族の役割を話し合う講座を開きます。',
                    ['生涯学習課', '子育て支援課'],
                    '新規',
                    '親子',
                  ],
                ],
              },
            ],
          },
        ],
      },
    ],
  },
  {
    title: '誰もが活躍できる社会づくり',
    description: '働く場や地域で、誰もが力を発揮できる環境を整えます。',
    subPlans: [WOMEN_PLAN],
    issues: [
      {
        title: '政策・方針決定過程への女性の参画',
        priority: true,
        directions: [
          {
            title: '審議会等への女性の登用',
            measures: [
              {
                title: '登用状況の把握と働きかけ',
                projects: [
                  [
                    '審議会等委員への女性登用の促進',
                    '委員改選の前に所管課と協議し、女性委員の割合40%をめざします。',
                    ['総務課', '市民協働課'],
                    '充実',
                    '市の審議会等',
                  ],
                  [
                    '女性委員のいない審議会等の解消',
                    '女性委員がいない審議会等の所管課に、推薦団体への働きかけを依頼します。',
                    ['総務課'],
                    '継続',
                    '市の審議会等',
                  ],
                ],
              },
            ],
          },
          {
            title: '市役所における女性の活躍',
            measures: [
              {
                title: '女性職員の育成と登用',
                projects: [
                  [
                    '女性職員のキャリア形成支援',
                    '係長級以上をめざす女性職員向けにメンター制度とキャリア研修を行います。',
                    ['人事課'],
                    '充実',
                    '市職員',
                  ],
                  [
                    '特定事業主行動計画の推進',
                    '男性職員の育児休業取得率などの目標を定め、毎年度取組状況を公表します。',
                    ['人事課'],
                    '継続',
                    '市職員',
                  ],
                ],
              },
            ],
          },
        ],
      },
      {
        title: '働く場における男女共同参画',
        directions: [
          {
            title: '雇用の場における均等な機会と待遇',
            measures: [
              {
                title: '事業所への働きかけ',
                projects: [
                  [
                    '市内事業所へのワーク・ライフ・バランス啓発',
                    '事業所訪問や商工会報を通じて、柔軟な働き方やハラスメント防止を呼びかけます。',
                    ['商工観光課'],
                    '継続',
                    '市内事業所',
                  ],
                  [
                    '女性の再就職支援セミナー',
                    '子育てや介護で離職した女性を対象に、再就職に向けたセミナーと個別相談を行います。',
                    ['商工観光課', '市民協働課'],
                    '充実',
                    '再就職を希望する女性',
                  ],
                ],
              },
              {
                title: '多様な働き方の支援',
                projects: [
                  [
                    '女性の起業相談',
                    '起業を考える女性に、専門家による相談と先輩起業家との交流の場を設けます。',
                    ['商工観光課'],
                    '新規',
                    '起業を希望する女性',
                  ],
                ],
              },
            ],
          },
          {
            title: '農業・自営業における男女共同参画',
            measures: [
              {
                title: '家族経営の対等なパートナーシップ',
                projects: [
                  [
                    '家族経営協定の普及',
                    '農業委員会と連携し、家族経営協定の締結を農家に勧めます。',
                    ['農政課'],
                    '継続',
                    '農業者',
                  ],
                ],
              },
            ],
          },
        ],
      },
      {
        title: '仕事と生活の調和',
        directions: [
          {
            title: '子育て支援の充実',
            measures: [
              {
                title: '保育・放課後の居場所',
                projects: [
                  [
                    '保育サービスの充実',
                    '延長保育・一時預かり・病児保育の定員を確保し、待機児童ゼロを維持します。',
                    ['保育課'],
                    '充実',
                    '保護者',
                  ],
                  [
                    '放課後児童クラブの運営',
                    '放課後児童クラブの受入れ枠を広げ、開所時間の延長を検討します。',
                    ['子育て支援課'],
                    '継続',
                    '小学生と保護者',
                  ],
                ],
              },
              {
                title: '男性の子育て参加',
                projects: [
                  [
                    '両親学級「パパママ教室」',
                    '妊娠期の夫婦を対象に、沐浴実習や産後の生活について学ぶ教室を開きます。',
                    ['健康づくり課', '子育て支援課'],
                    '継続',
                    '妊娠中の夫婦',
                  ],
                  [
                    '父親の子育て交流会',
                    '子育て支援センターで、父親同士が交流できる土曜日の催しを開きます。',
                    ['子育て支援課'],
                    '新規',
                    '乳幼児の父親',
                  ],
                ],
              },
            ],
          },
          {
            title: '介護の支援',
            measures: [
              {
                title: '家族介護者の支援',
                projects: [
                  [
                    '家族介護者交流会',
                    '地域包括支援センターで、介護をしている家族同士の交流会を開きます。',
                    ['高齢福祉課'],
                    '継続',
                    '家族介護者',
                  ],
                  [
                    '介護の基礎講座',
                    '介護の基本技術と介護保険サービスの使い方を学ぶ講座を開きます。',
                    ['高齢福祉課'],
                    '継続',
                    '市民',
                  ],
                ],
              },
            ],
          },
        ],
      },
    ],
  },
  {
    title: '安心して暮らせる環境づくり',
    description: '暴力を許さず、困難を抱える人を支え、誰もが安心して暮らせるまちをつくります。',
    issues: [
      {
        title: 'あらゆる暴力の根絶',
        subPlans: [DV_PLAN],
        priority: true,
        directions: [
          {
            title: 'DVの未然防止',
            measures: [
              {
                title: '暴力を許さない意識づくり',
                projects: [
                  [
                    'デートDV防止出前講座',
                    '中学校・高校に講師を派遣し、交際相手からの暴力について考える講座を開きます。',
                    ['市民協働課', '学校教育課'],
                    '充実',
                    '中学生・高校生',
                  ],
                  [
                    '女性に対する暴力をなくす運動の周知',
                    '運動期間中にパープルライトアップと街頭啓発を行います。',
                    ['市民協働課'],
                    '継続',
                    '市民',
                  ],
                ],
              },
            ],
          },
          {
            title: '被害者の安全確保と自立支援',
            measures: [
              {
                title: '相談と保護',
                projects: [
                  [
                    '女性相談窓口の運営',
                    '女性相談員が面接・電話で相談に応じ、必要な支援機関につなぎます。',
                    ['子育て支援課'],
                    '継続',
                    '女性',
                  ],
                  [
                    '緊急時の一時保護と同行支援',
                    '関係機関と連携して一時保護につなぎ、手続きに同行します。',
                    ['生活福祉課', '子育て支援課'],
                    '継続',
                    'DV被害者',
                  ],
                ],
              },
              {
                title: '生活再建の支援',
                projects: [
                  [
                    '被害者の住まいの確保',
                    '市営住宅の優先入居や民間賃貸住宅の情報提供で住まいを確保します。',
                    ['住宅政策課'],
                    '継続',
                    'DV被害者',
                  ],
                  [
                    '庁内DV対策連絡会議',
                    '関係課で個人情報の保護と支援の手順を確認する会議を年2回開きます。',
                    ['市民協働課'],
                    '継続',
                    '関係課',
                  ],
                ],
              },
            ],
          },
        ],
      },
      {
        title: '生涯を通じた健康づくり',
        directions: [
          {
            title: '性と健康への支援',
            measures: [
              {
                title: '健康相談と検診',
                projects: [
                  [
                    '女性の健康相談',
                    '保健師・助産師が思春期から更年期までの健康相談に応じます。',
                    ['健康づくり課'],
                    '継続',
                    '女性',
                  ],
                  [
                    '乳がん・子宮頸がん検診の受診勧奨',
                    '対象者への個別通知と休日検診で受診率の向上を図ります。',
                    ['健康づくり課'],
                    '充実',
                    '対象年齢の女性',
                  ],
                  [
                    '思春期の性と健康の教育',
                    '保健師が中学校で命の大切さと性の健康について授業を行います。',
                    ['健康づくり課', '学校教育課'],
                    '継続',
                    '中学生',
                  ],
                ],
              },
            ],
          },
        ],
      },
      {
        title: '防災・地域活動における男女共同参画',
        directions: [
          {
            title: '男女共同参画の視点に立った防災',
            measures: [
              {
                title: '避難所運営と防災計画',
                projects: [
                  [
                    '女性の視点を取り入れた避難所運営',
                    '避難所運営マニュアルに授乳室・更衣室の確保や女性の運営参加を盛り込みます。',
                    ['危機管理課'],
                    '見直し',
                    '自主防災組織',
                  ],
                  [
                    '女性防災リーダーの育成',
                    '地域の防災訓練で中心となる女性防災リーダーの養成講座を開きます。',
                    ['危機管理課', '市民協働課'],
                    '新規',
                    '市民',
                  ],
                ],
              },
            ],
          },
        ],
      },
      {
        title: '困難を抱える人への支援',
        directions: [
          {
            title: '自立と安心の支援',
            measures: [
              {
                title: '生活の安定',
                projects: [
                  [
                    'ひとり親家庭の就労支援',
                    '母子・父子自立支援員が資格取得や就職活動を支援します。',
                    ['子育て支援課'],
                    '継続',
                    'ひとり親家庭',
                  ],
                  [
                    '外国人住民の生活相談',
                    '多言語の生活ガイドと通訳付き相談で外国人住民を支えます。',
                    ['市民協働課'],
                    '継続',
                    '外国人住民',
                  ],
                  [
                    '高齢者の見守りネットワーク',
                    '民生委員や事業者と協力して一人暮らし高齢者を見守ります。',
                    ['高齢福祉課'],
                    '継続',
                    '高齢者',
                  ],
                  [
                    '生活困窮者の自立相談',
                    '生活に困っている人の相談に応じ、就労や家計の立て直しを支援します。',
                    ['生活福祉課'],
                    '継続',
                    '生活困窮者',
                  ],
                  [
                    '性的少数者への理解促進と相談',
                    'パートナーシップ宣誓制度の案内と、性の多様性に関する相談窓口を設けます。',
                    ['市民協働課'],
                    '新規',
                    '市民',
                  ],
                ],
              },
            ],
          },
        ],
      },
    ],
  },
];

/** The project shown again (再掲) under 人権教育の推進: stored once, listed twice. */
const CROSS_LISTED_PROJECT = 'デートDV防止出前講座';
const CROSS_LIST_UNDER = '人権教育の推進';

type Node = PlanExportInput['nodes'][number];

/** The plan's structure as it is built: nodes and projects in tree order, and each measure's key by title. */
interface Built {
  nodes: PlanExportInput['nodes'];
  projects: PlanExportInput['projects'];
  keyOfTitle: Map<string, string>;
}

const node = (
  key: string,
  parentKey: string | null,
  title: string,
  more: { description?: string; priority?: boolean; subPlans?: string[] } = {},
): Node => ({
  key,
  parentKey,
  title,
  description: more.description ?? '',
  numberOverride: null,
  priority: more.priority ?? false,
  subPlans: more.subPlans ?? [],
});

/** A measure (施策) and its projects, numbered on from the plan's last. */
function addMeasure(out: Built, m: Measure, key: string, parentKey: string): void {
  out.keyOfTitle.set(m.title, key);
  out.nodes.push(node(key, parentKey, m.title));
  for (const [name, summary, departments, category, audience] of m.projects)
    out.projects.push({
      number: String(out.projects.length + 1),
      nodeKey: key,
      name,
      summary,
      category: category ?? null,
      audience: audience ?? '',
      leadDepartment: departments[0]!,
      coDepartments: departments.slice(1),
      crossListNodeKeys: [],
    });
}

/** A goal (基本目標) and everything below it, keyed by position along the path (1, 1.2, 1.2.3, 1.2.3.4). */
function addGoal(out: Built, g: Goal, gk: string): void {
  out.nodes.push(node(gk, null, g.title, { description: g.description, subPlans: g.subPlans }));
  g.issues.forEach((iss, ii) => {
    const ik = `${gk}.${ii + 1}`;
    out.nodes.push(node(ik, gk, iss.title, { priority: iss.priority, subPlans: iss.subPlans }));
    iss.directions.forEach((d, di) => {
      const dk = `${ik}.${di + 1}`;
      out.nodes.push(node(dk, ik, d.title));
      d.measures.forEach((m, mi) => addMeasure(out, m, `${dk}.${mi + 1}`, dk));
    });
  });
}

export function samplePlan(): PlanExportInput {
  const out: Built = { nodes: [], projects: [], keyOfTitle: new Map() };
  GOALS.forEach((g, gi) => addGoal(out, g, String(gi + 1)));
  const { nodes, projects, keyOfTitle } = out;
  const cross = projects.find((p) => p.name === CROSS_LISTED_PROJECT)!;
  cross.crossListNodeKeys = [keyOfTitle.get(CROSS_LIST_UNDER)!];
  return {
    format: 'shinchoku.plan-structure',
    version: 1,
    plan: {
      title: '第3次サンプル市男女共同参画プラン',
      slogan: 'ともに認めあい、だれもが自分らしく輝けるまち',
      firstYear: 2021,
      lastYear: 2030,
      subPlans: [WOMEN_PLAN, DV_PLAN],
      // Each department grades its answers A〜D, the coordinating section adds its own, the council
      // stars each 主要課題 with a comment and the coordinating section sums up each 基本目標.
      evaluation: [{ fromYear: 2021, note: '', config: presetConfig('council-stars')! }],
    },
    levels: [
      { name: '基本目標', numberingStyle: 'roman', numberingScope: 'plan' },
      { name: '主要課題', numberingStyle: 'paren', numberingScope: 'plan' },
      { name: '施策の方向', numberingStyle: 'circled', numberingScope: 'parent' },
      { name: '施策', numberingStyle: 'arabic', numberingScope: 'plan' },
    ],
    nodes,
    projects,
  };
}
