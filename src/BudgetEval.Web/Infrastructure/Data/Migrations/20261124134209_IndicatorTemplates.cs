using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace BudgetEval.Web.Infrastructure.Data.Migrations
{
    /// <inheritdoc />
    public partial class IndicatorTemplates : Migration
    {
        // When the built-in templates became rows; literal, so that the migration writes the same rows whenever it runs.
        private static readonly DateTimeOffset Seeded = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "GroupsJson",
                schema: "budgeteval",
                table: "evaluations",
                type: "jsonb",
                nullable: false,
                defaultValue: "[]");

            // Every evaluation keeps the 一级 groups of the template it was commissioned with: those so far are the
            // two built-in ones, told apart by TemplateKey (any other key never existed; it gets the default groups,
            // which is what the score sheet fell back to for it). The column's default stays empty, which the
            // application reads as "the built-in template of TemplateKey": what an older node writes during a
            // rolling upgrade (it does not know the column) is then read right.
            migrationBuilder.Sql("""
                UPDATE budgeteval.evaluations SET "GroupsJson" = CASE WHEN "TemplateKey" = 'decision-process-output-benefit'
                    THEN '["决策","过程","产出","效益"]'::jsonb ELSE '["投入","过程","产出","效果"]'::jsonb END
                WHERE "FirmId" IS NOT NULL; -- commissioned: the ones not yet commissioned get theirs when they are
                """);

            migrationBuilder.CreateTable(
                name: "indicator_templates",
                schema: "budgeteval",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Key = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    GroupsJson = table.Column<string>(type: "jsonb", nullable: false),
                    RowsJson = table.Column<string>(type: "jsonb", nullable: false),
                    IsActive = table.Column<bool>(type: "boolean", nullable: false),
                    SortOrder = table.Column<int>(type: "integer", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_indicator_templates", x => x.Id);
                });

            // The four templates that were built into the code (IndicatorTemplates, EvaluationTemplates), with their ids and
            // keys, so every plan and evaluation keeps pointing at its template (docs/decisions/0021). Ids come from the
            // identity column in this order (1 to 4), so the administrator's own templates continue from 5.
            migrationBuilder.InsertData(
                schema: "budgeteval",
                table: "indicator_templates",
                columns: new[] { "Kind", "Key", "Name", "GroupsJson", "RowsJson", "IsActive", "SortOrder", "UpdatedAt" },
                columnTypes: new[] { "character varying(20)", "character varying(50)", "character varying(100)", "jsonb", "jsonb", "boolean", "integer", "timestamp with time zone" },
                values: new object[,]
                {
                    { "SelfEvaluation", "default", "产出/效益/满意度（自评常用）", "[{\"level1\":\"产出指标\",\"level2\":[\"数量指标\",\"质量指标\",\"时效指标\",\"成本指标\"]},{\"level1\":\"效益指标\",\"level2\":[\"经济效益指标\",\"社会效益指标\",\"生态效益指标\",\"可持续影响指标\"]},{\"level1\":\"满意度指标\",\"level2\":[\"服务对象满意度指标\"]}]",
                        "[]",
                        true, 10, Seeded },
                    { "SelfEvaluation", "national2020", "决策/过程/产出/效益（2020年全国框架）", "[{\"level1\":\"决策\",\"level2\":[\"项目立项\",\"绩效目标\",\"资金投入\"]},{\"level1\":\"过程\",\"level2\":[\"资金管理\",\"组织实施\"]},{\"level1\":\"产出\",\"level2\":[\"产出数量\",\"产出质量\",\"产出时效\",\"产出成本\"]},{\"level1\":\"效益\",\"level2\":[\"项目效益\"]}]",
                        "[]",
                        true, 20, Seeded },
                    { "Evaluation", "input-process-output-effect", "部门整体支出（投入/过程/产出/效果）", "[\"投入\",\"过程\",\"产出\",\"效果\"]",
                        "["
                        + "{\"level1\":\"投入\",\"level2\":\"目标设定\",\"level3\":\"绩效目标合理性\",\"weight\":2,\"points\":\"绩效目标与部门职责、年度计划的相关性\",\"standard\":\"相关且符合计划得满分，否则酌情扣分\"},"
                        + "{\"level1\":\"投入\",\"level2\":\"目标设定\",\"level3\":\"绩效指标明确性\",\"weight\":3,\"points\":\"绩效指标是否清晰、可量化、与资金匹配\",\"standard\":\"清晰可量化得满分，否则酌情扣分\"},"
                        + "{\"level1\":\"投入\",\"level2\":\"预算配置\",\"level3\":\"聘用人员控制率\",\"weight\":2,\"points\":\"聘用人员数量与上年比较\",\"standard\":\"未超编得满分\"},"
                        + "{\"level1\":\"投入\",\"level2\":\"预算配置\",\"level3\":\"资金到位率（公共专项）\",\"weight\":2,\"points\":\"专项资金到位情况\",\"standard\":\"到位率×分值\"},"
                        + "{\"level1\":\"过程\",\"level2\":\"预算执行\",\"level3\":\"预算执行率（公共专项）\",\"weight\":2,\"points\":\"专项资金执行情况\",\"standard\":\"执行率×分值\"},"
                        + "{\"level1\":\"过程\",\"level2\":\"预算执行\",\"level3\":\"横向拨款\",\"weight\":2,\"points\":\"对下拨款是否履行审批\",\"standard\":\"程序完整得满分\"},"
                        + "{\"level1\":\"过程\",\"level2\":\"预算执行\",\"level3\":\"往来款项控制率\",\"weight\":2,\"points\":\"往来款项占比及账龄\",\"standard\":\"无三年以上往来得满分\"},"
                        + "{\"level1\":\"过程\",\"level2\":\"预算执行\",\"level3\":\"结转结余率\",\"weight\":2,\"points\":\"年末结转结余\",\"standard\":\"无结转结余得满分\"},"
                        + "{\"level1\":\"过程\",\"level2\":\"预算执行\",\"level3\":\"结转结余变动率\",\"weight\":2,\"points\":\"结转结余变动\",\"standard\":\"不增加得满分\"},"
                        + "{\"level1\":\"过程\",\"level2\":\"预算执行\",\"level3\":\"三公经费控制率\",\"weight\":1,\"points\":\"“三公经费”实际与预算之比\",\"standard\":\"≤100%得满分\"},"
                        + "{\"level1\":\"过程\",\"level2\":\"预算执行\",\"level3\":\"政府采购执行率\",\"weight\":1,\"points\":\"实际采购与采购预算之比\",\"standard\":\"≥90%得满分\"},"
                        + "{\"level1\":\"过程\",\"level2\":\"预算管理\",\"level3\":\"内部控制健全性\",\"weight\":2,\"points\":\"内控制度建立与执行\",\"standard\":\"健全且执行到位得满分\"},"
                        + "{\"level1\":\"过程\",\"level2\":\"预算管理\",\"level3\":\"资金使用合规性\",\"weight\":5,\"points\":\"资金使用及审批程序\",\"standard\":\"合规得满分，每发现一项扣分\"},"
                        + "{\"level1\":\"过程\",\"level2\":\"预算管理\",\"level3\":\"预算信息公开性\",\"weight\":2,\"points\":\"预决算信息公开\",\"standard\":\"按时公开得满分\"},"
                        + "{\"level1\":\"过程\",\"level2\":\"预算管理\",\"level3\":\"绩效自评情况\",\"weight\":3,\"points\":\"自评开展及报告质量\",\"standard\":\"完整得满分\"},"
                        + "{\"level1\":\"过程\",\"level2\":\"预算管理\",\"level3\":\"问题整改情况\",\"weight\":3,\"points\":\"以前年度发现问题的整改\",\"standard\":\"全部整改得满分，部分整改酌情扣分\"},"
                        + "{\"level1\":\"过程\",\"level2\":\"资产管理\",\"level3\":\"资产管理安全性\",\"weight\":4,\"points\":\"资产盘点、编码、账实相符\",\"standard\":\"规范得满分\"},"
                        + "{\"level1\":\"产出\",\"level2\":\"职责履行\",\"level3\":\"重点工作完成率\",\"weight\":10,\"points\":\"部门年度重点工作（“三定”职责及党委、政府交办事项）实际完成数与计划数之比。\",\"standard\":\"完成率100%计满分，每低1个百分点扣0.2分，扣完为止。\"},"
                        + "{\"level1\":\"产出\",\"level2\":\"职责履行\",\"level3\":\"绩效目标完成率\",\"weight\":8,\"points\":\"部门整体支出绩效目标表中各产出指标的实际完成值与目标值对比。\",\"standard\":\"各产出指标均达到目标值计满分；每有一项未达到，按未完成比例扣分，扣完为止。\"},"
                        + "{\"level1\":\"产出\",\"level2\":\"职责履行\",\"level3\":\"质量达标率\",\"weight\":6,\"points\":\"达到质量标准（验收、考核、检查合格）的产出数量与实际产出数量之比。\",\"standard\":\"达标率100%计满分，每低1个百分点扣0.2分，扣完为止。\"},"
                        + "{\"level1\":\"产出\",\"level2\":\"职责履行\",\"level3\":\"完成及时性\",\"weight\":6,\"points\":\"重点工作和各项产出是否在计划或规定时限内完成。\",\"standard\":\"全部按时完成计满分，每有一项超期完成或未完成扣1分，扣完为止。\"},"
                        + "{\"level1\":\"产出\",\"level2\":\"履职成本\",\"level3\":\"公用经费控制率\",\"weight\":4,\"points\":\"公用经费控制率=（本年度实际支出的公用经费总额/预算安排的公用经费总额）×100%。\",\"standard\":\"控制率≤100%计满分，每超出1个百分点扣0.4分，扣完为止。\"},"
                        + "{\"level1\":\"产出\",\"level2\":\"履职成本\",\"level3\":\"项目成本控制\",\"weight\":3,\"points\":\"各项目实际成本与预算（计划）成本对比，是否存在超支或成本不合理的情况。\",\"standard\":\"均未超支计满分，每发现一个项目超支或成本明显不合理扣1分，扣完为止。\"},"
                        + "{\"level1\":\"产出\",\"level2\":\"资产运行\",\"level3\":\"固定资产利用率\",\"weight\":3,\"points\":\"固定资产利用率=（实际在用固定资产总额/所有固定资产总额）×100%。\",\"standard\":\"利用率≥95%计满分，每低1个百分点扣0.2分，扣完为止。\"},"
                        + "{\"level1\":\"效果\",\"level2\":\"履职效益\",\"level3\":\"社会效益\",\"weight\":5,\"points\":\"部门履职对经济社会发展、公共服务和社会治理产生的直接或间接影响是否达到预期。\",\"standard\":\"达到预期计满分；部分达到酌情扣分；未达到不计分。\"},"
                        + "{\"level1\":\"效果\",\"level2\":\"履职效益\",\"level3\":\"社会影响\",\"weight\":2,\"points\":\"部门履职过程中是否发生造成不良社会影响的事件（重大舆情、安全事故、群体性事件等）。\",\"standard\":\"未发生计满分，每发生一例扣1分；发生重大事件的不计分。\"},"
                        + "{\"level1\":\"效果\",\"level2\":\"履职效益\",\"level3\":\"经济效益\",\"weight\":2,\"points\":\"部门履职对经济发展、节约财政资金等方面产生的影响。\",\"standard\":\"效益明显计满分，一般计1分，无明显效益不计分。\"},"
                        + "{\"level1\":\"效果\",\"level2\":\"履职效益\",\"level3\":\"生态效益\",\"weight\":1,\"points\":\"部门履职对生态环境产生的影响（无直接影响的，说明后计满分）。\",\"standard\":\"无负面影响且达到预期计满分，有负面影响不计分。\"},"
                        + "{\"level1\":\"效果\",\"level2\":\"可持续影响\",\"level3\":\"长效管理机制\",\"weight\":4,\"points\":\"是否建立了保障履职效益持续发挥的制度、人员队伍和信息化等长效机制。\",\"standard\":\"机制健全且有效运行计满分；有机制未有效运行扣2分；未建立不计分。\"},"
                        + "{\"level1\":\"效果\",\"level2\":\"满意度\",\"level3\":\"社会公众或服务对象满意度\",\"weight\":6,\"points\":\"社会公众或服务对象对部门履职效果的满意程度（问卷调查或座谈）。\",\"standard\":\"满意度≥95%计满分，每低1个百分点扣0.3分，扣完为止。\"}"
                        + "]",
                        true, 10, Seeded },
                    { "Evaluation", "decision-process-output-benefit", "项目支出（决策/过程/产出/效益）", "[\"决策\",\"过程\",\"产出\",\"效益\"]",
                        "["
                        + "{\"level1\":\"决策\",\"level2\":\"项目立项\",\"level3\":\"立项依据充分性\",\"weight\":4,\"points\":\"是否符合政策和部门职责\",\"standard\":\"充分得满分\"},"
                        + "{\"level1\":\"决策\",\"level2\":\"项目立项\",\"level3\":\"立项程序规范性\",\"weight\":4,\"points\":\"是否按规定程序申请设立\",\"standard\":\"规范得满分\"},"
                        + "{\"level1\":\"决策\",\"level2\":\"绩效目标\",\"level3\":\"绩效目标合理性\",\"weight\":4,\"points\":\"目标与实际工作内容的相关性\",\"standard\":\"合理得满分\"},"
                        + "{\"level1\":\"决策\",\"level2\":\"绩效目标\",\"level3\":\"绩效指标明确性\",\"weight\":4,\"points\":\"指标是否细化、量化\",\"standard\":\"明确得满分\"},"
                        + "{\"level1\":\"决策\",\"level2\":\"资金投入\",\"level3\":\"预算编制科学性\",\"weight\":4,\"points\":\"预算编制依据及测算\",\"standard\":\"科学得满分\"},"
                        + "{\"level1\":\"过程\",\"level2\":\"资金管理\",\"level3\":\"资金到位率\",\"weight\":5,\"points\":\"实际到位/计划投入\",\"standard\":\"到位率×分值\"},"
                        + "{\"level1\":\"过程\",\"level2\":\"资金管理\",\"level3\":\"预算执行率\",\"weight\":5,\"points\":\"实际支出/实际到位\",\"standard\":\"执行率×分值\"},"
                        + "{\"level1\":\"过程\",\"level2\":\"资金管理\",\"level3\":\"资金使用合规性\",\"weight\":5,\"points\":\"是否符合财务管理制度\",\"standard\":\"合规得满分\"},"
                        + "{\"level1\":\"过程\",\"level2\":\"组织实施\",\"level3\":\"管理制度健全性\",\"weight\":5,\"points\":\"制度是否健全\",\"standard\":\"健全得满分\"},"
                        + "{\"level1\":\"产出\",\"level2\":\"产出数量\",\"level3\":\"实际完成率\",\"weight\":10,\"points\":\"实际产出/计划产出\",\"standard\":\"完成率×分值\"},"
                        + "{\"level1\":\"产出\",\"level2\":\"产出质量\",\"level3\":\"质量达标率\",\"weight\":10,\"points\":\"达标产出/实际产出\",\"standard\":\"达标率×分值\"},"
                        + "{\"level1\":\"产出\",\"level2\":\"产出时效\",\"level3\":\"完成及时性\",\"weight\":10,\"points\":\"是否按计划完成\",\"standard\":\"按时得满分\"},"
                        + "{\"level1\":\"产出\",\"level2\":\"产出成本\",\"level3\":\"成本节约率\",\"weight\":10,\"points\":\"成本控制情况\",\"standard\":\"未超支得满分\"},"
                        + "{\"level1\":\"效益\",\"level2\":\"项目效益\",\"level3\":\"社会效益\",\"weight\":10,\"points\":\"项目实施的社会影响\",\"standard\":\"达到预期得满分\"},"
                        + "{\"level1\":\"效益\",\"level2\":\"项目效益\",\"level3\":\"可持续影响\",\"weight\":5,\"points\":\"长效机制\",\"standard\":\"有长效机制得满分\"},"
                        + "{\"level1\":\"效益\",\"level2\":\"满意度\",\"level3\":\"服务对象满意度\",\"weight\":5,\"points\":\"满意度调查\",\"standard\":\"≥90%得满分\"}"
                        + "]",
                        true, 20, Seeded }
                });

            migrationBuilder.CreateIndex(
                name: "IX_indicator_templates_Key",
                schema: "budgeteval",
                table: "indicator_templates",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_indicator_templates_Kind_Name",
                schema: "budgeteval",
                table: "indicator_templates",
                columns: new[] { "Kind", "Name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "indicator_templates",
                schema: "budgeteval");

            migrationBuilder.DropColumn(
                name: "GroupsJson",
                schema: "budgeteval",
                table: "evaluations");
        }
    }
}
